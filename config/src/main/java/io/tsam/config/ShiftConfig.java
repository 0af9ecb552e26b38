package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
 */
public record ShiftConfig(boolean status, int fDiv, int shiftDepth, int nInsert, int mInsert) {
    static final String SECTION = "shift_temporal";

    public ShiftConfig {
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

    /** The defaults: TSM's shift (on, f_div 8, depth 1, every block). */
    public static ShiftConfig defaults() {
        return new ShiftConfig(true, 8, 1, 1, 0);
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
                        s.integer("m_insert", d.mInsert()));
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
        return node;
    }
}
