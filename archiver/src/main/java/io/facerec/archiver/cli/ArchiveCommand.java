package io.facerec.archiver.cli;

import io.facerec.archiver.aws.S3Clients;
import io.facerec.archiver.bundle.BundleIndex;
import io.facerec.archiver.restore.ArchiveCatalog;
import io.facerec.archiver.restore.Restorer;
import io.facerec.archiver.store.ArchiveStore;
import io.facerec.archiver.store.BundleState;
import io.facerec.archiver.store.S3ArchiveStore;
import io.facerec.archiver.store.StoredPart;
import io.facerec.model.config.SettingsReader;
import io.facerec.model.frame.FrameKey;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code bin/archive}: list a camera's bundles for a time range, and restore its frames from them.
 * Runs with the caller's AWS credentials (it needs s3:ListBucket, s3:GetObject and s3:RestoreObject
 * on {@code archive/}); the bucket comes from {@code --bucket} or {@code FRAMES_BUCKET}.
 */
@Command(name = "archive", mixinStandardHelpOptions = true, version = "facerec archive 1",
        description = "List and restore archived frames (archive/<camera>/<yyyy>/<MM>/<dd>/<HH>.tar).",
        subcommands = {ArchiveCommand.ListCommand.class, ArchiveCommand.RestoreCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:some bundles failed", "2:bad usage", "3:restores pending: run again later"})
public final class ArchiveCommand {
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int PENDING = 3;

    private final Function<String, ArchiveStore> stores;
    private final Map<String, String> env;

    /** {@code stores} opens the archive of a bucket; {@code env} supplies FRAMES_BUCKET. */
    public ArchiveCommand(Function<String, ArchiveStore> stores, Map<String, String> env) {
        this.stores = stores;
        this.env = env;
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        SettingsReader r = SettingsReader.of(env);
        Optional<URI> endpoint = r.url("AWS_ENDPOINT_URL_S3").or(() -> r.url("AWS_ENDPOINT_URL"));
        if (!r.problems().isEmpty()) {
            System.err.println("archive: " + String.join("; ", r.problems()));
            System.exit(USAGE);
        }
        Function<String, ArchiveStore> stores = bucket -> new S3ArchiveStore(S3Clients.create(endpoint, 8), bucket);
        System.exit(commandLine(new ArchiveCommand(stores, env)).execute(args));
    }

    /** Bad input is one line on stderr (exit 2); an S3 failure one line too (exit 1), no stack trace. */
    public static CommandLine commandLine(ArchiveCommand root) {
        CommandLine cl = new CommandLine(root);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("archive: " + ex.getMessage());
            ex.getCommandLine().getErr().println("try: archive " + ex.getCommandLine().getCommandName() + " --help");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("archive: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
            return FAILED;
        });
        return cl;
    }

    /** The options both commands share. */
    static final class Range {
        @Option(names = "--camera", required = true, description = "camera id") String camera;
        @Option(names = "--from", required = true, converter = Time.class,
                description = "start, UTC: 2026-03-04, 2026-03-04T13:00 or 2026-03-04T13:00:00Z") Instant from;
        @Option(names = "--to", required = true, converter = Time.class, description = "end (excluded), same forms")
        Instant to;
        @Option(names = "--bucket", description = "the frames bucket (default: $FRAMES_BUCKET)") String bucket;

        void check(CommandLine cl) {
            if (!FrameKey.CAMERA_ID.matcher(camera).matches()) {
                throw new CommandLine.ParameterException(cl, "--camera '" + camera
                        + "' must be 1-64 letters, digits, '.', '-' or '_'");
            }
            if (!from.isBefore(to)) {
                throw new CommandLine.ParameterException(cl, "--from (" + from + ") must be before --to (" + to + ")");
            }
        }

        String bucket(CommandLine cl, Map<String, String> env) {
            String b = bucket != null ? bucket : env.get("FRAMES_BUCKET");
            if (b == null || b.isBlank()) {
                throw new CommandLine.ParameterException(cl, "no bucket: pass --bucket or set FRAMES_BUCKET");
            }
            return b;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "A camera's bundles for a time range, with storage class and restore state.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand ArchiveCommand root;
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin Range range;

        @Override
        public Integer call() throws Exception {
            range.check(spec.commandLine());
            ArchiveStore store = root.stores.apply(range.bucket(spec.commandLine(), root.env));
            PrintWriter out = spec.commandLine().getOut();
            List<StoredPart> parts = new ArchiveCatalog(store).parts(range.camera, range.from, range.to);
            out.printf("%-20s %-40s %7s %10s  %-13s %s%n", "hour (UTC)", "bundle", "frames", "bytes", "class", "state");
            int failed = 0;
            long frames = 0;
            for (StoredPart p : parts) {
                try {
                    BundleIndex idx = BundleIndex.parse(store.indexBytes(p.key()), p.key());
                    BundleState st = store.state(p.key());
                    frames += idx.frameCount();
                    out.printf("%-20s %-40s %7d %10d  %-13s %s%n", p.key().hour(), p.key().tarKey(), idx.frameCount(),
                            st.length(), st.storageClass() == null ? "STANDARD" : st.storageClass(), st.describe());
                } catch (Exception e) {
                    failed++;
                    out.printf("%-20s %-40s unreadable: %s%n", p.key().hour(), p.key().tarKey(), e.getMessage());
                }
            }
            out.printf("%d bundles, %d frames%n", parts.size(), frames);
            out.flush();
            return failed > 0 ? FAILED : 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restores a camera's frames of a time range into a folder, under their original names.",
                "Bundles still in Glacier get a restore request and are reported as pending; run the same",
                "command again once they are available (Bulk: 5-12 h, Standard: 3-5 h, Expedited: 1-5 min;",
                "DEEP_ARCHIVE: up to 48 h / 12 h, no Expedited). Frames already in the folder are kept."})
    static final class RestoreCommand implements Callable<Integer> {
        @ParentCommand ArchiveCommand root;
        @Spec CommandLine.Model.CommandSpec spec;
        @Mixin Range range;
        @Option(names = "--out", required = true, description = "folder for the JPEGs") Path out;
        @Option(names = "--tier", defaultValue = "Bulk", description = "Bulk, Standard or Expedited (default Bulk)")
        String tier;
        @Option(names = "--days", defaultValue = "3", description = "how long restored copies stay readable (default 3)")
        int days;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            range.check(cl);
            String t = switch (tier.toLowerCase(Locale.ROOT)) {
                case "bulk" -> "Bulk";
                case "standard" -> "Standard";
                case "expedited" -> "Expedited";
                default -> throw new CommandLine.ParameterException(cl, "--tier must be Bulk, Standard or Expedited, got '"
                        + tier + "'");
            };
            if (days < 1 || days > 365) {
                throw new CommandLine.ParameterException(cl, "--days must be between 1 and 365, got " + days);
            }
            ArchiveStore store = root.stores.apply(range.bucket(cl, root.env));
            Restorer.Report r = new Restorer(store).restore(
                    new Restorer.Request(range.camera, range.from, range.to, out, t, days));
            PrintWriter o = cl.getOut();
            for (Restorer.PartReport p : r.parts()) {
                String what = switch (p.outcome()) {
                    case FETCHED -> p.frames() + " frames written";
                    case ALREADY_HERE -> p.frames() + " frames already in " + out;
                    case RESTORE_REQUESTED -> "restore requested (" + p.detail() + "), " + p.frames() + " frames pending";
                    case RESTORE_IN_PROGRESS -> "restore in progress, " + p.frames() + " frames pending";
                    case FAILED -> "failed: " + p.detail();
                };
                o.printf("%s: %s%n", p.part().tarKey(), what);
            }
            int pending = r.with(Restorer.Outcome.RESTORE_REQUESTED).size() + r.with(Restorer.Outcome.RESTORE_IN_PROGRESS).size();
            o.printf("%d frames written, %d already there, %d bundles pending%s%n", r.framesWritten(),
                    r.framesAlreadyHere(), pending, pending > 0 ? ": run the same command again once they are restored" : "");
            o.flush();
            return r.failed() ? FAILED : r.pending() ? PENDING : 0;
        }
    }

    /** UTC times as a day, a local date-time or an instant. */
    static final class Time implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String s) {
            try {
                if (s.length() == 10) {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                try {
                    return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException noOffset) {
                    return OffsetDateTime.parse(s.toUpperCase(Locale.ROOT)).toInstant();
                }
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + s + "' is not a UTC time: use 2026-03-04, "
                        + "2026-03-04T13:00 or 2026-03-04T13:00:00Z");
            }
        }
    }
}
