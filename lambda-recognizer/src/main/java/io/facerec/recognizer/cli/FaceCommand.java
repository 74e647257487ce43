package io.facerec.recognizer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code face}: enrol people into a gallery, recognise images against it, and measure the engine
 * on a folder of labelled photos. Each subcommand is its own class with its own options; the engine
 * options they share are {@link EngineOptions}. Exit code: 0 done, 1 nothing could be done, 2 usage.
 */
@Command(name = "face", mixinStandardHelpOptions = true, versionProvider = FaceCommand.Version.class,
        subcommands = {EnrollCommand.class, RecognizeCommand.class, EvalCommand.class, GatesCommand.class},
        description = "Enrol people into a gallery, recognise faces in images, measure the engine.")
public final class FaceCommand implements Callable<Integer> {
    final PrintStream out;
    final PrintStream err;
    @Spec
    CommandSpec spec;

    FaceCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new FaceCommand(System.out, System.err).run(args));
    }

    int run(String[] args) {
        CommandLine cl = new CommandLine(this);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        // one line that names the problem; --help has the rest
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("face: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            if (e instanceof IOException || e instanceof IllegalArgumentException) {
                err.println("face: " + e.getMessage());
                return CommandLine.ExitCode.SOFTWARE;
            }
            throw e;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "no command: enroll, recognize, eval or gates (face --help)");
    }

    /** The build's version (a filtered resource, so it is there when run from classes too). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = FaceCommand.class.getResourceAsStream("/facerec-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"face " + p.getProperty("version", "unknown") + " (models "
                    + io.facerec.recognizer.engine.FaceModels.MODEL_SET + ", Java " + Runtime.version() + ")"};
        }
    }
}
