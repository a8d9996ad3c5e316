package dev.sextant.loadtest;

import dev.sextant.metrics.PrometheusText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each process of the platform spends per request in a measured run. CPU time (user and system) comes from the
 * operating system, for the process and its descendants (so the {@code redis-server} that a launcher starts counts
 * as Redis), read just before and just after the run. Allocation comes from the JVMs that the load test scrapes
 * ({@code jvm_gc_memory_allocated_bytes_total}, which Micrometer adds to at each young collection: exact to within
 * one young generation, so it is reported only for a run in which the JVM collected at least {@link #COLLECTIONS}
 * times). The platform's sum leaves the load
 * generator out: it is this process, reported apart.
 */
final class Costs {

    static final String LOAD_GENERATOR = "load generator";
    static final String PLATFORM = "platform";
    private static final String ALLOCATED = "jvm_gc_memory_allocated_bytes_total";
    private static final String PAUSES = "jvm_gc_pause_seconds_count";
    /** The fewest collections in a run for its allocation to be reported. */
    static final int COLLECTIONS = 3;

    /** The CPU time of each process, in nanoseconds, at one instant ({@code nanos}, from {@link System#nanoTime}). */
    record Snapshot(long nanos, Map<String, Long> cpu) {}

    /**
     * One process over a run: CPU per request in microseconds, the cores it kept busy on average, and the kilobytes
     * it allocated per request (null for a process that is not a JVM the load test scrapes).
     */
    record Cost(String process, double cpuMicros, double cores, Double allocatedKb) {}

    /** Every process measured, the load generator last, and the platform's sum without it. */
    record Measured(List<Cost> processes, Cost platform) {

        /** The CPU per request of a process, or of the {@link #PLATFORM}; empty when it was not measured. */
        Optional<Double> cpuMicros(String process) {
            if (process.equals(PLATFORM)) {
                return processes.size() > 1 ? Optional.of(platform.cpuMicros()) : Optional.empty();
            }
            return processes.stream()
                    .filter(cost -> cost.process().equals(process))
                    .map(Cost::cpuMicros)
                    .findFirst();
        }
    }

    private final Map<String, Long> pids;

    /** @param pids the platform's processes: name → process id */
    Costs(Map<String, Long> pids) {
        this.pids = Map.copyOf(pids);
    }

    /** {@code gateway=4242,kafka=4243}: the platform's processes as {@code ./sextant} names them; empty: none. */
    static Costs parse(String processes) {
        Map<String, Long> pids = new LinkedHashMap<>();
        if (processes != null && !processes.isBlank()) {
            for (String entry : processes.split(",")) {
                String[] nameAndPid = entry.split("=");
                if (nameAndPid.length != 2 || !nameAndPid[0].strip().matches("[a-z0-9-]+")) {
                    throw new IllegalArgumentException(
                            "--processes must list name=pid pairs separated by commas, got " + entry);
                }
                try {
                    pids.put(nameAndPid[0].strip(), Long.parseLong(nameAndPid[1].strip()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "--processes: the pid of " + nameAndPid[0] + " must be a" + " number, got " + nameAndPid[1],
                            e);
                }
            }
        }
        return new Costs(pids);
    }

    /** These processes and one more, started by the load test itself (nginx). */
    Costs and(String name, long pid) {
        Map<String, Long> more = new LinkedHashMap<>(pids);
        more.put(name, pid);
        return new Costs(more);
    }

    /** Every process's CPU time now, the load generator's included; a process that has exited is left out. */
    Snapshot take() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        pids.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(process -> ProcessHandle.of(
                        process.getValue())
                .ifPresent(handle -> cpu.put(process.getKey(), cpuNanos(handle))));
        cpu.put(LOAD_GENERATOR, cpuNanos(ProcessHandle.current()));
        return new Snapshot(System.nanoTime(), cpu);
    }

    private static long cpuNanos(ProcessHandle process) {
        long nanos = process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        return nanos
                + process.descendants()
                        .mapToLong(child -> child.info()
                                .totalCpuDuration()
                                .map(Duration::toNanos)
                                .orElse(0L))
                        .sum();
    }

    /**
     * What each process spent per request between two snapshots, with the allocation of the JVMs scraped just
     * before and just after (service name → exposition, named as the processes are).
     */
    static Measured between(
            Snapshot before,
            Snapshot after,
            Map<String, String> scrapedBefore,
            Map<String, String> scrapedAfter,
            long requests) {
        double perRequest = Math.max(1, requests);
        double seconds = Math.max(1, after.nanos() - before.nanos()) / 1e9;
        List<Cost> costs = new ArrayList<>();
        Cost generator = null;
        double platformCpu = 0;
        double platformAllocated = 0;
        boolean anyAllocation = false;
        for (var process : after.cpu().entrySet()) {
            Long then = before.cpu().get(process.getKey());
            if (then == null) {
                continue;
            }
            double cpuNanos = process.getValue() - then;
            Double allocated = allocated(scrapedBefore.get(process.getKey()), scrapedAfter.get(process.getKey()));
            Cost cost = new Cost(
                    process.getKey(),
                    cpuNanos / 1000 / perRequest,
                    cpuNanos / 1e9 / seconds,
                    allocated == null ? null : allocated / 1024 / perRequest);
            if (process.getKey().equals(LOAD_GENERATOR)) {
                generator = cost;
                continue;
            }
            costs.add(cost);
            platformCpu += cpuNanos;
            if (allocated != null) {
                platformAllocated += allocated;
                anyAllocation = true;
            }
        }
        Cost platform = new Cost(
                PLATFORM,
                platformCpu / 1000 / perRequest,
                platformCpu / 1e9 / seconds,
                anyAllocation ? platformAllocated / 1024 / perRequest : null);
        if (generator != null) {
            costs.add(generator);
        }
        return new Measured(costs, platform);
    }

    /**
     * Bytes a JVM allocated between two scrapes; null when either scrape lacks the counter, or when the JVM collected
     * fewer than {@link #COLLECTIONS} times in between (the counter moves at collections: too coarse then).
     */
    private static Double allocated(String before, String after) {
        if (before == null || after == null) {
            return null;
        }
        List<PrometheusText.Sample> then = PrometheusText.parse(before);
        List<PrometheusText.Sample> now = PrometheusText.parse(after);
        Double allocatedThen = sum(then, ALLOCATED);
        Double allocatedNow = sum(now, ALLOCATED);
        Double collectionsThen = sum(then, PAUSES);
        Double collectionsNow = sum(now, PAUSES);
        if (allocatedThen == null || allocatedNow == null || collectionsThen == null || collectionsNow == null) {
            return null;
        }
        return collectionsNow - collectionsThen < COLLECTIONS ? null : Math.max(0, allocatedNow - allocatedThen);
    }

    /** The sum of the samples of a metric, over all its series; null when it has none. */
    static Double sum(List<PrometheusText.Sample> samples, String name) {
        Double total = null;
        for (PrometheusText.Sample sample : samples) {
            if (sample.name().equals(name)) {
                total = (total == null ? 0 : total) + sample.value();
            }
        }
        return total;
    }
}
