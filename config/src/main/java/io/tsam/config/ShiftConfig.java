package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The {@code shift_temporal} section: which residual blocks shift and by how much (SPEC §1).
 *
 * @param status {@code status}: false turns every shift off (TSN)
 * @param fDiv {@code f_div}: a fold of {@code C / f_div} channels shifts each way, >= 2
 * @param shiftDepth {@code shift_depth}: each fold is cut into this many groups shifted by 1, 2,
 *     ..., {@code shift_depth} segments, >= 1
 * @param nInsert {@code n_insert}: block {@code i} of a stage shifts iff {@code i % n_insert ==
 *     m_insert}, >= 1
 * @param mInsert {@code m_insert}: in [0, n_insert)
 * @param style {@code style}: the channel layout and edge rule, TSAM's (default) or TSM's
 */
public record ShiftConfig(
        boolean status, int fDiv, int shiftDepth, int nInsert, int mInsert, ShiftStyle style) {
    static final String SECTION = "shift_temporal";

    /** The key of {@link #style}; a stored config written before it existed means {@code tsm}. */
    static final String STYLE_KEY = "style";

    public ShiftConfig {
        Objects.requireNonNull(style, "style");
        Check.atLeast(SECTION + ".f_div", fDiv, 2);
        Check.atLeast(SECTION + ".shift_depth", shiftDepth, 1);
        Check.atLeast(SECTION + ".n_insert", nInsert, 1);
        if (mInsert < 0 || mInsert >= nInsert) {
            throw ConfigException.invalidValue(
                    null,
                    SECTION + ".m_insert",
                    "expected an integer >= 0 and < n_insert (" + nInsert + ")",
                    mInsert);
        }
    }

    /** The defaults: on, f_div 8, depth 1, every block, TSAM's style. */
    public static ShiftConfig defaults() {
        return new ShiftConfig(true, 8, 1, 1, 0, ShiftStyle.TSAM);
    }

    /** A copy with another {@code style}. */
    public ShiftConfig withStyle(ShiftStyle newStyle) {
        return new ShiftConfig(status, fDiv, shiftDepth, nInsert, mInsert, newStyle);
    }

    /** Whether block {@code blockIndex} (0-based within its stage) shifts. */
    public boolean shifts(int blockIndex) {
        return status && blockIndex % nInsert == mInsert;
    }

    static ShiftConfig read(JsonSection s) {
        ShiftConfig d = defaults();
        ShiftConfig result =
                new ShiftConfig(
                        s.bool("status", d.status()),
                        s.integer("f_div", d.fDiv()),
                        s.integer("shift_depth", d.shiftDepth()),
                        s.integer("n_insert", d.nInsert()),
                        s.integer("m_insert", d.mInsert()),
                        s.choice(
                                STYLE_KEY,
                                d.style(),
                                List.of(ShiftStyle.values()),
                                ShiftStyle::jsonName));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("status", status);
        node.put("f_div", fDiv);
        node.put("shift_depth", shiftDepth);
        node.put("n_insert", nInsert);
        node.put("m_insert", mInsert);
        node.put(STYLE_KEY, style.jsonName());
        return node;
    }
}
