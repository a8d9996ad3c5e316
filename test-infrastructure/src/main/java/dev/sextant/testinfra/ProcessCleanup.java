package dev.sextant.testinfra;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Destroys every child process a test JVM started, when that JVM exits, so no server outlives its tests. */
final class ProcessCleanup {

    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Runnable> ACTIONS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessCleanup::runAll, "sextant-test-servers-cleanup"));
    }

    private ProcessCleanup() {}

    static void register(Process process) {
        PROCESSES.add(process);
    }

    static void register(Runnable action) {
        ACTIONS.add(action);
    }

    private static void runAll() {
        for (Runnable action : ACTIONS) {
            try {
                action.run();
            } catch (RuntimeException e) {
                System.err.println("test server cleanup failed: " + e);
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
