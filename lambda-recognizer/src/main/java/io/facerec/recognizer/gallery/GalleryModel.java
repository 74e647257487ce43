package io.facerec.recognizer.gallery;

import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryInfo;
import io.facerec.model.gallery.GalleryLayout;
import io.facerec.model.match.Metric;
import io.facerec.recognizer.engine.EmbeddingModel;
import java.util.Optional;

/**
 * Which model's vectors a gallery holds, so frames are embedded and enrolments written with it. The
 * enrolled rows decide when there are any (the recognizer writes them with the gallery's model);
 * otherwise the copied gallery does (a 128-wide one without gallery.json is the old app's, dlib);
 * otherwise a copied gallery.json; otherwise the default model, which new galleries use.
 */
public final class GalleryModel {
    private GalleryModel() {
    }

    public static EmbeddingModel of(GalleryLayout.Snapshot s) {
        Optional<Gallery> commit = s.commit().map(GalleryLayout.Commit::gallery);
        if (commit.isPresent() && commit.get().size() > 0) {
            return of(commit.get());
        }
        if (s.plain().isPresent() && s.plain().get().size() > 0) {
            return of(s.plain().get());
        }
        GalleryInfo top = s.top();
        if (top != null && !top.isPointer() && (top.modelId() != null || top.dimension() != null)) {
            return EmbeddingModel.forGallery(top.modelId(), top.dimension() == null ? 0 : top.dimension());
        }
        return commit.map(GalleryModel::of).orElse(EmbeddingModel.DEFAULT);
    }

    private static EmbeddingModel of(Gallery g) {
        return EmbeddingModel.forGallery(g.info() == null ? null : g.info().modelId(), g.dimension());
    }

    /**
     * True when the copied files are there but could not be read (a copy in progress, say) and no
     * enrolled row says what the model is: an enrolment now could pick the wrong one.
     */
    public static boolean undecided(GalleryLayout.Snapshot s) {
        boolean enrolled = s.commit().map(c -> c.gallery().size() > 0).orElse(false);
        boolean copiedThere = s.versions().encodings() != null || s.versions().labels() != null;
        return !enrolled && copiedThere && s.plain().isEmpty();
    }

    /**
     * The threshold a gallery.json sets, when it is one for {@code model}'s metric (a cosine
     * threshold means nothing to a Euclidean gallery); null otherwise.
     */
    public static Double thresholdOf(GalleryInfo info, EmbeddingModel model) {
        if (info == null || info.threshold() == null) {
            return null;
        }
        if (info.metric() != null) {
            try {
                return Metric.of(info.metric()) == model.metric() ? info.threshold() : null;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        int dim = info.dimension() == null ? model.dimension() : info.dimension();
        return EmbeddingModel.forGallery(info.modelId(), dim) == model ? info.threshold() : null;
    }
}
