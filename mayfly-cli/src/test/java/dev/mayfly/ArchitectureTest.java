package dev.mayfly;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on its compiled classes: every Mayfly module's (this one sees them
 * all), tests left out. The rules say what may depend on what, so a change that breaks the shape
 * fails here, naming the classes.
 */
class ArchitectureTest {

    /** The packages of the agent modules (mayfly-analyze, mayfly-llm). */
    private static final String[] AGENT_MODULES = {"dev.mayfly.analyze..", "dev.mayfly.llm.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        // The other modules come as jars or folders, depending on how Maven runs; the scripted model
        // server of mayfly-llm's test jar is a test too.
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.mayfly");
    }

    @Test
    void every_module_is_seen_so_no_rule_passes_on_nothing() {
        for (String name : List.of("dev.mayfly.api.Agent", "dev.mayfly.worker.WorkerMain", "dev.mayfly.store.JdbcTaskStore",
                "dev.mayfly.store.postgresql.PostgresStoreProvider",
                "dev.mayfly.workflow.WorkflowRunner", "dev.mayfly.llm.LlmAgent", "dev.mayfly.analyze.AnalyzeAgent",
                "dev.mayfly.server.MayflyServer", "dev.mayfly.client.MayflyClient", "dev.mayfly.cli.Main")) {
            assertThat(classes.contain(name)).as(name).isTrue();
        }
        assertThat(classes.contain("dev.mayfly.llm.testing.ScriptedModelServer")).as("tests are left out").isFalse();
    }

    @Test
    void the_java_client_depends_on_nothing_of_mayfly_but_itself_and_its_json() {
        classes().that().resideInAPackage("dev.mayfly.client").should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.mayfly.client", "dev.mayfly.json", "java..").check(classes);
        classes().that().resideInAPackage("dev.mayfly.json").should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.mayfly.json", "java..", "com.fasterxml.jackson..").check(classes);
    }

    @Test
    void no_package_depends_on_itself_through_others() {
        slices().matching("dev.mayfly.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void only_the_store_package_names_the_kind_of_store() {
        noClasses().that().resideOutsideOfPackage("dev.mayfly.store..").should().dependOnClassesThat()
                .haveSimpleNameStartingWith("Sqlite").orShould().dependOnClassesThat().haveSimpleNameStartingWith("Postgres")
                .check(classes);
    }

    @Test
    void the_postgresql_store_is_found_as_a_plug_in_and_its_libraries_stay_inside_it() {
        noClasses().that().resideOutsideOfPackage("dev.mayfly.store.postgresql").should().dependOnClassesThat()
                .resideInAnyPackage("dev.mayfly.store.postgresql", "org.postgresql..", "com.zaxxer..", "org.flywaydb..")
                .check(classes);
    }

    @Test
    void the_api_agents_are_written_against_depends_on_nothing_but_the_jdk() {
        classes().that().resideInAPackage("dev.mayfly.api").should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.mayfly.api", "java..").check(classes);
    }

    @Test
    void no_part_of_mayfly_names_an_agent_module_it_finds_its_agents_as_plug_ins() {
        noClasses().that().resideOutsideOfPackages(AGENT_MODULES).should().dependOnClassesThat()
                .resideInAnyPackage(AGENT_MODULES).check(classes);
    }

    @Test
    void an_agent_module_uses_nothing_of_mayfly_but_its_api() {
        noClasses().that().resideInAnyPackage(AGENT_MODULES).should().dependOnClassesThat(
                resideInAPackage("dev.mayfly..").and(not(resideInAnyPackage("dev.mayfly.api..")))
                        .and(not(resideInAnyPackage(AGENT_MODULES))))
                .check(classes);
    }

    @Test
    void the_errors_every_layer_throws_depend_on_nothing_of_mayfly() {
        noClasses().that().resideInAPackage("dev.mayfly.errors").should().dependOnClassesThat()
                .resideOutsideOfPackages("dev.mayfly.errors", "java..").check(classes);
    }
}
