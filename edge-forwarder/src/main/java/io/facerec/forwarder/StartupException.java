package io.facerec.forwarder;

/**
 * The forwarder cannot start, for a reason the operator can fix: printed as one line, no stack
 * trace. Exit status 2 (configuration: do not restart) or 1 (may pass, e.g. a port still held).
 */
public final class StartupException extends IllegalStateException {
    private final int exitStatus;

    public StartupException(String message, int exitStatus) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public int exitStatus() {
        return exitStatus;
    }

    /** As {@link #reason(java.io.IOException)}, without repeating {@code about} when the error is about it. */
    static String reason(java.io.IOException e, java.nio.file.Path about) {
        String r = reason(e);
        String prefix = about + ": ";
        return r.startsWith(prefix) ? r.substring(prefix.length()) : r;
    }

    /** What went wrong with a file, in a few words: the OS's reason rather than the exception's name. */
    static String reason(java.io.IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return (a.getFile() == null ? "" : a.getFile() + ": ") + "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException a) {
            return a.getFile() + " exists and is not a folder";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return (f.getFile() == null ? "" : f.getFile() + ": ") + f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
