package dev.agentmemory.spring.boot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * memory-it's architecture rules, for the starter's classes (memory-it does not see this module,
 * whose Spring versions it would otherwise take in).
 */
class StarterArchitectureTest {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.agentmemory.spring");

    @Test
    void theStarterNamesNoStoreOrEmbedderImplementation() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.agentmemory.inmemory..",
                        "dev.agentmemory.postgres..", "dev.agentmemory.embedding..")
                .because("implementations are found by name through ServiceLoader, never named in code")
                .check(STARTER);
    }

    @Test
    void theSpringAiToolsDoNotDependOnTheBootConfiguration() {
        noClasses().that().resideInAPackage("dev.agentmemory.spring.ai..")
                .should().dependOnClassesThat().resideInAPackage("dev.agentmemory.spring.boot..")
                .because("the tools are usable without the auto-configuration, with a memory built by hand")
                .check(STARTER);
        slices().matching("dev.agentmemory.(**)").should().beFreeOfCycles().check(STARTER);
    }

    @Test
    void noGuiceInTheStarter() {
        noClasses().should().dependOnClassesThat().resideInAPackage("com.google.inject..")
                .because("the starter wires with Spring, through AgentMemory.builder()").check(STARTER);
    }
}
