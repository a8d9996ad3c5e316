package dev.sextant.localservers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Destroys every server process this JVM started, and runs the other clean-ups registered, when it exits: no server
 * outlives the tests or the platform that started it.
 */
public final class ProcessCleanup {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Runnable> ACTIONS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessCleanup::runAll, "sextant-local-servers-cleanup"));
    }

    private ProcessCleanup() {}

    static void register(Process process) {
        PROCESSES.add(process);
    }

    /** Runs {@code action} when this JVM exits (a container to stop, say). */
    public static void register(Runnable action) {
        ACTIONS.add(action);
    }

    private static void runAll() {
        for (Runnable action : ACTIONS) {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("local server cleanup failed: " + e);
            }
        }
        PROCESSES.forEach(process -> process.descendants().forEach(ProcessHandle::destroy));
        PROCESSES.forEach(Process::destroy);
        for (Process process : PROCESSES) {
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
