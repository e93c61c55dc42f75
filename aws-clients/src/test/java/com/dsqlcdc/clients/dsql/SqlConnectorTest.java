package com.dsqlcdc.clients.dsql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.testing.SigV4Verifier;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The source connector: its DSQL password is an IAM token the SDK signs for {@code dsql:DbConnect}
 * (checked against SigV4 here, not taken on trust), and the same connection code reaches a real
 * PostgreSQL with a password.
 */
class SqlConnectorTest {

    private static final String CLUSTER = "abcdefghijklmnopqrstuvwxyz";
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    /** The server's URL without a user in it: the connector names the role. */
    private static String url() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    @Test
    void dsqlConnectsToTheClusterEndpointAsTheRoleOverVerifiedTls() {
        SqlConnector connector =
                SqlConnector.forCluster(CLUSTER, Region.EU_WEST_1, "cdc_reader", SigV4Verifier.credentialsProvider());

        assertThat(connector.url()).isEqualTo("jdbc:postgresql://" + CLUSTER + ".dsql.eu-west-1.on.aws:5432/postgres");
        assertThat(connector.user()).isEqualTo("cdc_reader");
        assertThat(connector.properties())
                .containsEntry("sslmode", "verify-full")
                .containsEntry("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
    }

    @Test
    void thePasswordIsADbConnectTokenSignedForDsqlInTheClustersRegion() {
        SqlConnector connector =
                SqlConnector.forCluster(CLUSTER, Region.EU_WEST_1, "cdc_reader", SigV4Verifier.credentialsProvider());
        String token = connector.password();

        assertThat(token).startsWith(CLUSTER + ".dsql.eu-west-1.on.aws/?Action=DbConnect&");
        SigV4Verifier dsql = new SigV4Verifier("dsql", "eu-west-1");
        SigV4Verifier.Verification now = dsql.verifyPresigned("GET", token, Instant.now());
        assertThat(now.problem()).isNull();
        assertThat(token).contains("X-Amz-Expires=900");
        // Not the admin action, and not valid once it expired or for another Region.
        assertThat(token).doesNotContain("DbConnectAdmin");
        assertThat(dsql.verifyPresigned("GET", token, Instant.now().plusSeconds(901))
                        .ok())
                .isFalse();
        assertThat(new SigV4Verifier("dsql", "us-east-1")
                        .verifyPresigned("GET", token, Instant.now())
                        .ok())
                .isFalse();
        assertThat(dsql.verifyPresigned(
                                "GET", token.replace("Action=DbConnect", "Action=DbConnectAdmin"), Instant.now())
                        .problem())
                .contains("signature does not match");
    }

    @Test
    void onlyTheAdminRoleGetsADbConnectAdminToken() {
        String token = SqlConnector.forCluster(
                        CLUSTER, Region.EU_WEST_1, SqlConnector.ADMIN_ROLE, SigV4Verifier.credentialsProvider())
                .password();

        assertThat(token).startsWith(CLUSTER + ".dsql.eu-west-1.on.aws/?Action=DbConnectAdmin&");
        assertThat(new SigV4Verifier("dsql", "eu-west-1")
                        .verifyPresigned("GET", token, Instant.now())
                        .problem())
                .isNull();
        assertThat(SqlConnector.forCluster(
                                CLUSTER, Region.EU_WEST_1, "administrator", SigV4Verifier.credentialsProvider())
                        .password())
                .contains("Action=DbConnect&");
    }

    @Test
    void aNewConnectionGetsAFreshToken() throws InterruptedException {
        SqlConnector connector =
                SqlConnector.forCluster(CLUSTER, Region.EU_WEST_1, "cdc_reader", SigV4Verifier.credentialsProvider());
        String first = connector.password();
        Thread.sleep(1_100);
        assertThat(connector.password()).isNotEqualTo(first);
    }

    @Test
    void theSameCodeConnectsToAPostgreSqlWithAPassword() throws SQLException {
        SqlConnector connector = new SqlConnector(url(), "postgres", () -> "postgres", SqlConnector.timeouts());
        try (Connection c = connector.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_user, current_setting('application_name')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("postgres");
            assertThat(rs.getString(2)).isEqualTo("dsql-cdc-backfill");
        }
    }

    @Test
    void readOnlyTransactionsRefuseWrites() throws SQLException {
        SqlConnector connector = new SqlConnector(url(), "postgres", () -> "postgres", Map.of());
        try (Connection c = connector.connect()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute("CREATE TABLE t (id int)"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("read-only transaction");
            }
            c.rollback();
        }
    }

    @Test
    void aFailedConnectionNamesTheUrlAndRole() {
        SqlConnector connector = new SqlConnector(url(), "nobody", () -> "wrong", SqlConnector.timeouts());
        assertThatThrownBy(connector::connect)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot connect to jdbc:postgresql://")
                .hasMessageContaining(" as nobody: ");
    }
}
