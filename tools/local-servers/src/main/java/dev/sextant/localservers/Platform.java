package dev.sextant.localservers;

import java.util.Locale;
import java.util.Optional;

/**
 * The operating system and processor this JVM runs on, as far as the bundled server binaries care: Linux or macOS,
 * x86-64 or arm64. The binaries from Maven Central exist for those four; elsewhere a server must be installed.
 */
public record Platform(Os os, Arch arch) {

    public enum Os {
        LINUX,
        MACOS
    }

    public enum Arch {
        X86_64,
        ARM64
    }

    /** This JVM's platform, or empty where no bundled binary can run (Windows, 32-bit, other processors). */
    public static Optional<Platform> current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** The platform of these {@code os.name} and {@code os.arch} values, or empty when none of the four. */
    static Optional<Platform> of(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        Os os = name.startsWith("linux") ? Os.LINUX : name.startsWith("mac") ? Os.MACOS : null;
        Arch arch =
                switch (osArch.toLowerCase(Locale.ROOT)) {
                    case "amd64", "x86_64", "x86-64" -> Arch.X86_64;
                    case "aarch64", "arm64" -> Arch.ARM64;
                    default -> null;
                };
        return os == null || arch == null ? Optional.empty() : Optional.of(new Platform(os, arch));
    }

    /** How this JVM's platform reads in a message: {@code os.name/os.arch}. */
    static String describeCurrent() {
        return System.getProperty("os.name", "?") + "/" + System.getProperty("os.arch", "?");
    }
}
