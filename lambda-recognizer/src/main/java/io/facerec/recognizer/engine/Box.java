package io.facerec.recognizer.engine;

/** An axis-aligned box in pixels of the full frame. */
public record Box(float left, float top, float right, float bottom) {
    public float width() {
        return right - left;
    }

    public float height() {
        return bottom - top;
    }

    public float area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    public float iou(Box o) {
        float iw = Math.min(right, o.right) - Math.max(left, o.left);
        float ih = Math.min(bottom, o.bottom) - Math.max(top, o.top);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        float inter = iw * ih;
        return inter / (area() + o.area() - inter);
    }

    public Box scale(float f) {
        return new Box(left * f, top * f, right * f, bottom * f);
    }

    public Box clip(int width, int height) {
        return new Box(Math.max(0, left), Math.max(0, top), Math.min(width, right), Math.min(height, bottom));
    }
}
