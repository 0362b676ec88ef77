package dev.mayfly;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on its compiled classes (Mayfly's own, tests left out): the rules
 * say what may depend on what, so a change that breaks the shape fails here, naming the classes.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("dev.mayfly");
    }

    @Test
    void no_package_depends_on_itself_through_others() {
        slices().matching("dev.mayfly.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void the_errors_every_layer_throws_depend_on_nothing_of_mayfly() {
        noClasses().that().resideInAPackage("dev.mayfly.errors").should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.mayfly.errors", "java..").check(classes);
    }
}
