package io.facerec.recognizer.image;

/** An image that cannot be used; the message names the source and the reason in one line. */
public class ImageDecodeException extends Exception {
    public ImageDecodeException(String message) {
        super(message);
    }
}
