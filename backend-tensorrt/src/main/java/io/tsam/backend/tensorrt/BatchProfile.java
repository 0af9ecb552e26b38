package io.tsam.backend.tensorrt;

/**
 * The range of the dynamic batch dimension {@code N} a TensorRT engine accepts: TensorRT tunes its
 * kernels for {@code opt} and runs any {@code N} in {@code [min, max]}.
 *
 * @param min the smallest batch, at least 1
 * @param opt the batch the kernels are tuned for, in {@code [min, max]}
 * @param max the largest batch
 */
public record BatchProfile(int min, int opt, int max) {

    /** One video at a time is tuned for; up to eight fit a server's dynamic batches. */
    public static final BatchProfile DEFAULT = new BatchProfile(1, 1, 8);

    /**
     * Checks {@code 1 <= min <= opt <= max}.
     *
     * @throws IllegalArgumentException naming the values otherwise
     */
    public BatchProfile {
        if (min < 1 || opt < min || max < opt) {
            throw new IllegalArgumentException(
                    "a batch profile needs 1 <= min <= opt <= max, got min="
                            + min
                            + " opt="
                            + opt
                            + " max="
                            + max);
        }
    }

    /**
     * Parses {@code MIN,OPT,MAX} such as {@code 1,4,8}, or a single {@code N} for a fixed batch.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static BatchProfile parse(String text) {
        String[] parts = text.split(",", -1);
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0].strip());
                return new BatchProfile(n, n, n);
            }
            if (parts.length == 3) {
                return new BatchProfile(
                        Integer.parseInt(parts[0].strip()),
                        Integer.parseInt(parts[1].strip()),
                        Integer.parseInt(parts[2].strip()));
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException(
                "expected a batch profile MIN,OPT,MAX such as 1,4,8 (or one N), got '"
                        + text
                        + "'");
    }

    /** Whether a batch of {@code n} runs on an engine built with this profile. */
    public boolean contains(int n) {
        return n >= min && n <= max;
    }

    /** {@code MIN,OPT,MAX}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return min + "," + opt + "," + max;
    }
}
