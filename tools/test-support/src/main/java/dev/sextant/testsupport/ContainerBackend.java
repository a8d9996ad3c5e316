package dev.sextant.testsupport;

import dev.sextant.localservers.ProcessCleanup;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A server run in a Testcontainers container. An outage is simulated by pausing the container, which keeps
 * its mapped port, so clients reconnect to the same address afterwards.
 */
final class ContainerBackend implements ServerBackend {

    private final GenericContainer<?> container;
    private final int containerPort;
    private boolean paused;

    ContainerBackend(GenericContainer<?> container, int containerPort) {
        this.container = container;
        this.containerPort = containerPort;
    }

    @Override
    public synchronized void start() {
        if (!container.isRunning()) {
            container.start();
            ProcessCleanup.register(container::stop);
        } else if (paused) {
            DockerClientFactory.instance()
                    .client()
                    .unpauseContainerCmd(container.getContainerId())
                    .exec();
            paused = false;
        }
    }

    @Override
    public synchronized void stop() {
        if (container.isRunning() && !paused) {
            DockerClientFactory.instance()
                    .client()
                    .pauseContainerCmd(container.getContainerId())
                    .exec();
            paused = true;
        }
    }

    GenericContainer<?> container() {
        return container;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(containerPort);
    }

    @Override
    public String describe() {
        return "container " + container.getDockerImageName();
    }
}
