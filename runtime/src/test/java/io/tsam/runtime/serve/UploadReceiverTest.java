package io.tsam.runtime.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UploadReceiverTest {

    @Test
    void theShownNameIsTheLastPathSegmentWithoutControlCharacters() {
        assertEquals("clip.mp4", UploadReceiver.displayName("clip.mp4"));
        assertEquals("clip.mp4", UploadReceiver.displayName("../../etc/clip.mp4"));
        assertEquals("clip.mp4", UploadReceiver.displayName("C:\\videos\\clip.mp4"));
        assertEquals("clip.mp4", UploadReceiver.displayName(" cl\nip.mp4\u0000 "));
        assertEquals("upload", UploadReceiver.displayName("dir/"));
        assertEquals("upload", UploadReceiver.displayName(null));
    }
}
