/** Side-by-side measurements whose figures are recorded under {@code benchmarks/results/}. */
package io.tsam.benchmarks;
