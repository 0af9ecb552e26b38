package io.tsam.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BatchProfileTest {

    @Test
    void minOptMaxAndASingleBatchAreParsed() {
        assertEquals(new BatchProfile(1, 4, 8), BatchProfile.parse("1,4,8"));
        assertEquals(new BatchProfile(2, 3, 5), BatchProfile.parse(" 2 , 3 ,5 "));
        assertEquals(new BatchProfile(4, 4, 4), BatchProfile.parse("4"));
        assertEquals("1,4,8", BatchProfile.parse("1,4,8").toString());
        assertEquals(new BatchProfile(1, 1, 8), BatchProfile.DEFAULT);
    }

    @Test
    void containsIsInclusive() {
        BatchProfile profile = new BatchProfile(2, 3, 5);

        assertFalse(profile.contains(1));
        assertTrue(profile.contains(2));
        assertTrue(profile.contains(5));
        assertFalse(profile.contains(6));
    }

    @Test
    void disorderedOrMalformedProfilesAreRefusedWithTheValues() {
        IllegalArgumentException disordered =
                assertThrows(IllegalArgumentException.class, () -> BatchProfile.parse("4,2,8"));
        IllegalArgumentException zero =
                assertThrows(IllegalArgumentException.class, () -> BatchProfile.parse("0,1,2"));
        IllegalArgumentException pair =
                assertThrows(IllegalArgumentException.class, () -> BatchProfile.parse("1,2"));
        IllegalArgumentException text =
                assertThrows(IllegalArgumentException.class, () -> BatchProfile.parse("a,b,c"));

        assertEquals(
                "a batch profile needs 1 <= min <= opt <= max, got min=4 opt=2 max=8",
                disordered.getMessage());
        assertTrue(zero.getMessage().contains("min=0"), zero.getMessage());
        assertEquals(
                "expected a batch profile MIN,OPT,MAX such as 1,4,8 (or one N), got '1,2'",
                pair.getMessage());
        assertTrue(text.getMessage().endsWith("got 'a,b,c'"), text.getMessage());
    }
}
