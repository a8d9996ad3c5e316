package dev.sextant.features;

import dev.sextant.testsupport.PackageConventionTest;

/** The house's package convention on this service's classes (see {@link dev.sextant.testsupport.PackageConvention}). */
class ArchitectureTest extends PackageConventionTest {

    ArchitectureTest() {
        super("dev.sextant.features");
    }
}
