package dev.sextant.testsupport;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gives tests the shared real servers: {@link WithRedis}, {@link WithKafka} and {@link WithPostgres} start
 * them before the class runs, and parameters of type {@link RedisServer}, {@link KafkaBroker} or {@link
 * PostgresServer} receive them. Spring tests pass their addresses on with {@code @DynamicPropertySource}.
 */
public final class TestServersExtension implements BeforeAllCallback, ParameterResolver {

    private static final Map<Class<?>, Supplier<Object>> SERVERS = Map.of(
            RedisServer.class, RedisServer::shared,
            KafkaBroker.class, KafkaBroker::shared,
            PostgresServer.class, PostgresServer::shared);

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        if (AnnotationSupport.isAnnotated(testClass, WithRedis.class)) {
            RedisServer.shared();
        }
        if (AnnotationSupport.isAnnotated(testClass, WithKafka.class)) {
            KafkaBroker.shared();
        }
        if (AnnotationSupport.isAnnotated(testClass, WithPostgres.class)) {
            PostgresServer.shared();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return SERVERS.containsKey(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SERVERS.get(parameter.getParameter().getType()).get();
    }
}
