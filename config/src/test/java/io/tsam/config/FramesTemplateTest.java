package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramesTemplateTest {
    private static final int[] INDICES = {1, 42, 12345, -7, 0, 123456};

    private static void assertFormats(String template, String... expected) {
        FramesTemplate parsed = FramesTemplate.parse(template);
        for (int i = 0; i < INDICES.length; i++) {
            assertEquals(expected[i], parsed.format(INDICES[i]), template + " with " + INDICES[i]);
        }
    }

    // Expected strings are Python 3.11's template.format(i) for i in INDICES.
    @Test
    void formatsLikePythonStrFormat() {
        assertFormats(
                "{:05d}.jpg",
                "00001.jpg",
                "00042.jpg",
                "12345.jpg",
                "-0007.jpg",
                "00000.jpg",
                "123456.jpg");
        assertFormats(
                "img_{:05d}.jpg",
                "img_00001.jpg",
                "img_00042.jpg",
                "img_12345.jpg",
                "img_-0007.jpg",
                "img_00000.jpg",
                "img_123456.jpg");
        assertFormats("{}.jpg", "1.jpg", "42.jpg", "12345.jpg", "-7.jpg", "0.jpg", "123456.jpg");
        assertFormats("{:d}.jpg", "1.jpg", "42.jpg", "12345.jpg", "-7.jpg", "0.jpg", "123456.jpg");
        assertFormats("{:6d}", "     1", "    42", " 12345", "    -7", "     0", "123456");
        assertFormats("{0:03d}", "001", "042", "12345", "-07", "000", "123456");
        assertFormats(
                "{{x}}_{:04d}_{{}}.png",
                "{x}_0001_{}.png",
                "{x}_0042_{}.png",
                "{x}_12345_{}.png",
                "{x}_-007_{}.png",
                "{x}_0000_{}.png",
                "{x}_123456_{}.png");
        assertFormats("{:<5d}", "1    ", "42   ", "12345", "-7   ", "0    ", "123456");
        assertFormats("{:^6d}", "  1   ", "  42  ", "12345 ", "  -7  ", "  0   ", "123456");
        assertFormats("{:*^7d}", "***1***", "**42***", "*12345*", "**-7***", "***0***", "123456*");
        assertFormats("{:=+6d}", "+    1", "+   42", "+12345", "-    7", "+    0", "+123456");
        assertFormats("{:+05d}", "+0001", "+0042", "+12345", "-0007", "+0000", "+123456");
        assertFormats("{: d}", " 1", " 42", " 12345", "-7", " 0", " 123456");
        assertFormats("{:x<05d}", "1xxxx", "42xxx", "12345", "-7xxx", "0xxxx", "123456");
        assertFormats("{:<05d}", "10000", "42000", "12345", "-7000", "00000", "123456");
        assertFormats("{:#d}", "1", "42", "12345", "-7", "0", "123456");
        assertFormats("{:}", "1", "42", "12345", "-7", "0", "123456");
        assertFormats("{:0d}", "1", "42", "12345", "-7", "0", "123456");
        assertFormats("{:0>4}", "0001", "0042", "12345", "00-7", "0000", "123456");
        assertFormats("{00:3}", "  1", " 42", "12345", " -7", "  0", "123456");
    }

    @Test
    void firstFrameFileIsNumberOne() {
        assertEquals(1, FramesTemplate.FIRST_INDEX);
        assertEquals(
                "00001.jpg", FramesTemplate.parse("{:05d}.jpg").format(FramesTemplate.FIRST_INDEX));
    }

    // Each is an error or a different output in Python (e.g. "{:x}" formats hexadecimal).
    @ParameterizedTest
    @ValueSource(
            strings = {
                "{:x}",
                "{}{}",
                "{name}",
                "{1}",
                "{:05d",
                "a}b",
                "{:,d}",
                "{:.2d}",
                "{:05f}",
                "{!r}",
                "{:{}d}",
                "noField.jpg",
                "{:n}",
                "{0.real}",
                ""
            })
    void rejectsEverythingElseNamingTheTemplate(String template) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FramesTemplate.parse(template));

        assertTrue(
                e.getMessage().startsWith("frames template \"" + template + "\": "),
                e.getMessage());
    }

    @Test
    void rejectionReasonsAreSpecific() {
        List<String> messages =
                List.of("{}{}", "{name}", "a}b").stream()
                        .map(
                                t ->
                                        assertThrows(
                                                IllegalArgumentException.class,
                                                () -> FramesTemplate.parse(t)))
                        .map(Throwable::getMessage)
                        .toList();

        assertTrue(messages.get(0).contains("more than one replacement field"), messages.get(0));
        assertTrue(messages.get(1).contains("named field 'name'"), messages.get(1));
        assertTrue(messages.get(2).contains("single '}' at position 1"), messages.get(2));
    }

    @Test
    void equalityFollowsTheTemplateText() {
        assertEquals(FramesTemplate.parse("{:05d}.jpg"), FramesTemplate.parse("{:05d}.jpg"));
        assertEquals("{:05d}.jpg", FramesTemplate.parse("{:05d}.jpg").template());
    }
}
