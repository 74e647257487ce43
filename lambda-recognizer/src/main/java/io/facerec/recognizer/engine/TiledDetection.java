package io.facerec.recognizer.engine;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.facerec.recognizer.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The second detection pass ({@link EngineConfig#tiledPass()}): the frame cut into 2x2 tiles of 5/8
 * of its width and height, overlapping by a quarter, each detected on its own, so a face is seen 1.6
 * times larger than in the whole-frame pass. Merged with the whole-frame detections by the same NMS.
 * A face up to a quarter of the frame lies whole inside some tile, so a tile's box that touches an
 * inner edge of the tile (a face cut in two) is left to the tile that holds it whole. The detector
 * does not always put a cut face's box on the edge, so a tile's box lying mostly inside a box of a
 * higher score (the whole face, from the frame or another tile) is taken as such a part too.
 */
final class TiledDetection {
    static final float TILE = 5f / 8;

    private TiledDetection() {
    }

    static List<Detection> detect(Predictor<RgbImage, List<Detection>> detector, RgbImage image, List<Detection> whole)
            throws TranslateException {
        int tw = Math.round(image.width() * TILE);
        int th = Math.round(image.height() * TILE);
        List<Detection> fromTiles = new ArrayList<>();
        for (int ty = 0; ty < 2; ty++) {
            for (int tx = 0; tx < 2; tx++) {
                int x0 = tx == 0 ? 0 : image.width() - tw;
                int y0 = ty == 0 ? 0 : image.height() - th;
                for (Detection d : detector.predict(LandmarkTranslator.crop(image, x0, y0, tw, th))) {
                    Box b = d.box();
                    boolean cut = (x0 > 0 && b.left() < 1) || (x0 == 0 && b.right() > tw - 1)
                            || (y0 > 0 && b.top() < 1) || (y0 == 0 && b.bottom() > th - 1);
                    if (!cut) {
                        fromTiles.add(new Detection(new Box(b.left() + x0, b.top() + y0, b.right() + x0, b.bottom() + y0), d.score()));
                    }
                }
            }
        }
        List<Detection> all = new ArrayList<>(whole);
        for (Detection t : fromTiles) {
            if (whole.stream().noneMatch(o -> holds(o, t)) && fromTiles.stream().noneMatch(o -> o != t && holds(o, t))) {
                all.add(t);
            }
        }
        return NonMaxSuppression.apply(all, DetectorTranslator.NMS_IOU, DetectorTranslator.NMS_TOP_K);
    }

    /** Whether {@code outer} scores higher and holds most (over half) of {@code part}'s area. */
    static boolean holds(Detection outer, Detection part) {
        Box a = outer.box();
        Box b = part.box();
        float w = Math.min(a.right(), b.right()) - Math.max(a.left(), b.left());
        float h = Math.min(a.bottom(), b.bottom()) - Math.max(a.top(), b.top());
        return outer.score() > part.score() && w > 0 && h > 0 && w * h > 0.5f * b.area();
    }
}
