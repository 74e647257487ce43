package io.facerec.model.gallery;

/**
 * The three files come from different writes (read while a writer was replacing them, or left so by
 * a writer that died): reading again later may succeed.
 */
public class TornGalleryException extends GalleryFormatException {
    public TornGalleryException(String message) {
        super(message);
    }
}
