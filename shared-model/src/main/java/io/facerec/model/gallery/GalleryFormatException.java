package io.facerec.model.gallery;

import java.io.IOException;

/** A gallery file that cannot be used, with a message that names the file and the reason. */
public class GalleryFormatException extends IOException {
    public GalleryFormatException(String message) {
        super(message);
    }
}
