package dev.agentmemory.it;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.agentmemory.api.MemoryException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of agent-memory, in one place. memory-it sees every module, so the rules are
 * checked here against the production classes of all of them.
 */
class ArchitectureRulesTest {

    private static final String API = "dev.agentmemory.api..";
    private static final String CORE = "dev.agentmemory.core..";
    private static final String[] IMPLEMENTATIONS = {
        "dev.agentmemory.inmemory..", "dev.agentmemory.postgres..",
        "dev.agentmemory.embedding.onnx..", "dev.agentmemory.embedding.ollama.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.agentmemory");
    }

    @Test
    void productionClassesOfEveryModuleAreOnTheClassPath() {
        // A rule checked against no classes passes for nothing; make sure each layer is there.
        for (String pkg : new String[] {"dev.agentmemory.api", "dev.agentmemory.core",
                "dev.agentmemory.inmemory", "dev.agentmemory.postgres"}) {
            org.assertj.core.api.Assertions.assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(pkg)))
                    .as("classes of %s imported", pkg).isTrue();
        }
    }

    @Test
    void apiDependsOnNothingButTheJdkAndNullAnnotations() {
        ArchRule rule = classes().that().resideInAPackage(API)
                .should().onlyDependOnClassesThat().resideInAnyPackage(API, "java..", "javax.sql..", "org.jspecify..")
                .because("memory-api is the table of contents every module reads; it carries no driver, "
                        + "HTTP library or framework");
        rule.check(classes);
    }

    @Test
    void implementationsDependOnlyOnTheApi() {
        for (String impl : IMPLEMENTATIONS) {
            noClasses().that().resideInAPackage(impl)
                    .should().dependOnClassesThat().resideInAnyPackage(otherThan(impl))
                    .because("a backend or embedder sees only memory-api, so each can be replaced alone")
                    .check(classes);
        }
    }

    @Test
    void nothingOutsideAnImplementationNamesItsClasses() {
        for (String impl : IMPLEMENTATIONS) {
            noClasses().that().resideOutsideOfPackage(impl)
                    .should().dependOnClassesThat().resideInAPackage(impl)
                    .because("implementations are found by name through ServiceLoader, never named in code")
                    .check(classes);
        }
    }

    @Test
    void guiceStaysInTheWiring() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.agentmemory.core.AgentMemory")
                .and().doNotHaveFullyQualifiedName("dev.agentmemory.core.AgentMemory$Builder")
                .and().doNotHaveFullyQualifiedName("dev.agentmemory.core.AgentMemoryModule")
                .should().dependOnClassesThat().resideInAPackage("com.google.inject..")
                .because("the stores and the memory system are plain classes a user can build by hand")
                .check(classes);
    }

    @Test
    void everyExceptionIsAMemoryException() {
        classes().that().areAssignableTo(Throwable.class)
                .should().beAssignableTo(MemoryException.class)
                .because("callers catch one root, MemoryException, and read what went wrong from its subclass")
                .allowEmptyShould(false)
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("dev.agentmemory.(**)").should().beFreeOfCycles().check(classes);
    }

    private static String[] otherThan(String impl) {
        java.util.List<String> others = new java.util.ArrayList<>(java.util.List.of(IMPLEMENTATIONS));
        others.remove(impl);
        others.add(CORE);
        others.add("dev.agentmemory.cli..");
        return others.toArray(new String[0]);
    }
}
