package dev.sextant.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@link PackageConvention} as a service's test: each service has one {@code ArchitectureTest} that extends this
 * with its root package. One test per rule, each failure naming the classes and dependencies that break it.
 *
 * <p>The rules are frozen ({@link FreezingArchRule}): the violations a service had when a rule was adopted are
 * recorded in its {@code src/test/archunit} store, a debt to pay off, and only a new violation fails. A violation that
 * is fixed leaves the store, so the store only shrinks. Building never creates a store ({@code archunit.properties});
 * adopting a rule in a service records its debts once with {@code -Darchunit.freeze.store.default.allowStoreCreation=true}.
 */
public abstract class PackageConventionTest {

    private final String root;

    protected PackageConventionTest(String root) {
        this.root = root;
    }

    @TestFactory
    Stream<DynamicTest> followsEveryRuleOfThePackageConvention() {
        JavaClasses classes = PackageConvention.importClasses();
        return PackageConvention.rules(root).stream()
                .map(rule -> DynamicTest.dynamicTest(rule.getDescription(), () -> FreezingArchRule.freeze(rule)
                        .check(classes)));
    }

    @Test
    void everyPackageSaysWhatItOwns() {
        List<String> missing = PackageConvention.packagesWithoutPackageInfo(Path.of("src/main/java"));
        assertTrue(missing.isEmpty(), () -> "packages without a package-info.java: " + missing);
    }
}
