package dev.agentmemory.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.planner.PlannerApplication;
import dev.agentmemory.testkit.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code agentMemory} health contributor through a database outage: the application's pool
 * reaches PostgreSQL through a {@link TcpProxy}, which the test takes down and brings back (the
 * shared server itself is never stopped).
 */
@SpringBootTest(classes = PlannerApplication.class, properties = {
        "spring.config.name=planner",
        "spring.datasource.hikari.connection-timeout=1000",
        "spring.datasource.hikari.data-source-properties.ApplicationName=planner-health-it",
        "agent-memory.health-timeout=3s",
        "agent-memory.store-properties.retry.deadline=2s"})
class PostgresHealthIT {

    private static final String SCHEMA = "it_spring_postgres_health";
    private static TcpProxy proxy;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws IOException {
        TestDatabase.freshSchema(SCHEMA);
        proxy = TcpProxy.to(TestDatabase.host(), TestDatabase.port());
        registry.add("spring.datasource.url", () -> TestDatabase.urlThrough("127.0.0.1", proxy.port(), SCHEMA));
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        proxy.close();
    }

    @Autowired
    HealthContributorRegistry health;

    @Test
    void downWhileTheDatabaseIsUnreachableAndUpAgainWhenItIsBack() throws Exception {
        assertThat(agentMemory().getStatus()).isEqualTo(Status.UP);

        proxy.down();
        try {
            long started = System.nanoTime();
            Health down = agentMemory();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("store", "postgres").containsKey("error");
            assertThat(took).as("the check answers within its timeout").isLessThan(Duration.ofSeconds(5));
        } finally {
            proxy.up();
        }

        // The pool replaces its dead connections on the next requests.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Status status = agentMemory().getStatus();
        while (status != Status.UP && System.nanoTime() < deadline) {
            Thread.sleep(250);
            status = agentMemory().getStatus();
        }
        assertThat(status).isEqualTo(Status.UP);
    }

    private Health agentMemory() {
        return ((HealthIndicator) health.getContributor("agentMemory")).health();
    }
}
