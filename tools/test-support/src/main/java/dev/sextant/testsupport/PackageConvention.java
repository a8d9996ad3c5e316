package dev.sextant.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The house's package convention, the same for the six services, which each service's {@code ArchitectureTest}
 * checks on its own classes ({@code src/main/java} only):
 *
 * <ul>
 *   <li>packages by feature: a feature is a package under the service's root ({@code dev.sextant.monitoring.drift}),
 *       its controller included; {@code api} and {@code web} hold only what cuts across the features' HTTP (errors,
 *       the actor header), never a controller;
 *   <li>no cycles between the features;
 *   <li>a feature's sub-packages ({@code dev.sextant.training.trainer.xgboost}) are its internals: only the feature
 *       itself and the service's root package (which wires the application) use them;
 *   <li>only configuration classes (and the service's root package) read the {@code @ConfigurationProperties} record:
 *       everything else is given the typed values it needs;
 *   <li>every package says what it owns in a {@code package-info.java}.
 * </ul>
 */
public final class PackageConvention {

    static final String CONFIGURATION = "org.springframework.context.annotation.Configuration";
    static final String CONFIGURATION_PROPERTIES =
            "org.springframework.boot.context.properties.ConfigurationProperties";
    static final List<String> CONTROLLERS = List.of(
            "org.springframework.web.bind.annotation.RestController", "org.springframework.stereotype.Controller");
    static final List<String> CROSS_CUTTING = List.of("api", "web");
    static final Path OWN_CLASSES = Path.of("target", "classes").toAbsolutePath();

    private PackageConvention() {}

    /**
     * The service's own classes as compiled from its {@code src/main/java} ({@code target/classes}): not the libraries
     * it uses, even where they share its root package (the feature store's client).
     */
    public static JavaClasses importClasses() {
        return new ClassFileImporter().importPath(OWN_CLASSES);
    }

    /** Each rule of the convention for the service whose classes live under {@code root}. */
    public static List<ArchRule> rules(String root) {
        return List.of(
                controllersLiveInTheirFeature(root),
                featuresHaveNoCycles(root),
                subPackagesAreTheirFeaturesInternals(root),
                onlyConfigurationReadsTheProperties(root));
    }

    static ArchRule controllersLiveInTheirFeature(String root) {
        String[] crossCutting =
                CROSS_CUTTING.stream().map(name -> root + "." + name + "..").toArray(String[]::new);
        return classes()
                .that(annotatedWithAnyOf(CONTROLLERS))
                .should()
                .resideInAPackage(root + ".*..")
                .andShould()
                .resideOutsideOfPackages(crossCutting)
                .as("controllers live in their feature's package, not in " + CROSS_CUTTING + " or the root")
                .allowEmptyShould(true);
    }

    static ArchRule featuresHaveNoCycles(String root) {
        return slices().matching(root + ".(*)..")
                .should()
                .beFreeOfCycles()
                .as("the features of " + root + " depend on each other without cycles");
    }

    static ArchRule subPackagesAreTheirFeaturesInternals(String root) {
        return classes()
                .should(new ArchCondition<>("use no other feature's sub-packages") {
                    @Override
                    public void check(JavaClass user, ConditionEvents events) {
                        for (Dependency dependency : user.getDirectDependenciesFromSelf()) {
                            String target = dependency.getTargetClass().getPackageName();
                            String feature = featureOwning(root, target, 2);
                            if (feature != null
                                    && own(dependency.getTargetClass())
                                    && !user.getPackageName().equals(root)
                                    && !inPackage(user.getPackageName(), feature)) {
                                events.add(SimpleConditionEvent.violated(
                                        dependency,
                                        dependency.getDescription() + ": " + target + " is internal to " + feature));
                            }
                        }
                    }
                })
                .as("a feature's sub-packages are used only by the feature and the root package");
    }

    static ArchRule onlyConfigurationReadsTheProperties(String root) {
        return classes()
                .that()
                .resideInAPackage(root + "..")
                .and(DescribedPredicate.not(annotatedWithAnyOf(List.of(CONFIGURATION, CONFIGURATION_PROPERTIES))))
                .and()
                .resideOutsideOfPackage(root)
                .should(new ArchCondition<>("not read the @ConfigurationProperties record") {
                    @Override
                    public void check(JavaClass user, ConditionEvents events) {
                        for (Dependency dependency : user.getDirectDependenciesFromSelf()) {
                            JavaClass target = dependency.getTargetClass();
                            if (target.isAnnotatedWith(CONFIGURATION_PROPERTIES)
                                    && !user.getName().startsWith(target.getName() + "$")) {
                                events.add(SimpleConditionEvent.violated(
                                        dependency,
                                        dependency.getDescription() + ": give it the typed values it needs instead"));
                            }
                        }
                    }
                })
                .as("only configuration classes read the @ConfigurationProperties record");
    }

    /**
     * Packages under {@code sources} (a module's {@code src/main/java}) that hold Java classes but no {@code
     * package-info.java}: where a reader cannot learn what the package owns.
     */
    public static List<String> packagesWithoutPackageInfo(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .map(Path::getParent)
                    .distinct()
                    .filter(directory -> !Files.exists(directory.resolve("package-info.java")))
                    .map(directory -> sources.relativize(directory).toString().replace('/', '.'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The feature package ({@code root.feature}) of {@code pkg} when it lies at least {@code depth} below root. */
    static String featureOwning(String root, String pkg, int depth) {
        if (!pkg.startsWith(root + ".")) {
            return null;
        }
        String[] parts = pkg.substring(root.length() + 1).split("\\.");
        return parts.length >= depth ? root + "." + parts[0] : null;
    }

    /** Whether the class is the module's own, not a library's that shares its root package. */
    static boolean own(JavaClass javaClass) {
        return javaClass
                .getSource()
                .map(source -> "file".equals(source.getUri().getScheme())
                        && Path.of(source.getUri()).startsWith(OWN_CLASSES))
                .orElse(false);
    }

    static boolean inPackage(String pkg, String parent) {
        return pkg.equals(parent) || pkg.startsWith(parent + ".");
    }

    private static DescribedPredicate<JavaClass> annotatedWithAnyOf(List<String> annotations) {
        return DescribedPredicate.describe("annotated with " + annotations, javaClass -> annotations.stream()
                .anyMatch(javaClass::isAnnotatedWith));
    }
}
