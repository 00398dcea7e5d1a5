package io.ballast.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that hold secrets (keys, tokens, client configurations): created with owner-only permissions from
 * their first byte, never written world-readable and restricted afterwards (a reader could open it in between).
 */
public final class SecretFiles {
    private SecretFiles() {
    }

    /** Writes {@code bytes} to a new file only its owner may read (replacing any file there). */
    public static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        try (OutputStream out = Files.newOutputStream(create(file), StandardOpenOption.WRITE)) {
            out.write(bytes);
        }
        return file;
    }

    /** Creates an empty file only its owner may read; on a file system without POSIX permissions, a plain file. */
    public static Path create(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return Files.createFile(file, ownerOnly);
        }
        return Files.createFile(file);
    }
}
