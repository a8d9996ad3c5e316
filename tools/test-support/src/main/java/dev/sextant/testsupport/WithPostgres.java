package dev.sextant.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts the shared real Postgres server before the annotated test class (once per JVM) and injects it into
 * test and lifecycle method parameters. See {@link TestServersExtension}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TestServersExtension.class)
public @interface WithPostgres {}
