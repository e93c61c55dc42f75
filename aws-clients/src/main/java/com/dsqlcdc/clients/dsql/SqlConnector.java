package com.dsqlcdc.clients.dsql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * Opens SQL connections to the DSQL source (or to any PostgreSQL) with pgjdbc. Against DSQL the
 * password is a fresh IAM authentication token per connection ({@link DsqlUtilities}: a SigV4
 * presigned {@code DbConnect} request for a custom database role, valid {@link #TOKEN_LIFETIME}; the
 * caller needs {@code dsql:DbConnect} on the cluster, not {@code DbConnectAdmin}; only {@link
 * #ADMIN_ROLE}, as the operator's catalog command may connect, takes a {@code DbConnectAdmin}
 * token), over TLS verified
 * against the JVM's trust store (DSQL's certificates chain to Amazon's public roots). The same code
 * connects to a local PostgreSQL with a password, which is how the tests run it.
 */
public final class SqlConnector {

    /** How long a token is valid: only for opening the connection, which then lives on. */
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
    /** DSQL's PostgreSQL port. */
    public static final int DSQL_PORT = 5432;
    /** DSQL's built-in role: the only one that connects with a {@code DbConnectAdmin} token. */
    public static final String ADMIN_ROLE = "admin";
    /** DSQL's one database. */
    public static final String DSQL_DATABASE = "postgres";

    private final String url;
    private final String user;
    private final Supplier<String> password;
    private final Map<String, String> properties;

    /**
     * @param url        the JDBC URL, {@code jdbc:postgresql://host:port/database}
     * @param user       the database role
     * @param password   gives the password for each new connection
     * @param properties pgjdbc connection properties (TLS, timeouts)
     */
    public SqlConnector(String url, String user, Supplier<String> password, Map<String, String> properties) {
        this.url = Objects.requireNonNull(url, "url");
        this.user = Objects.requireNonNull(user, "user");
        this.password = Objects.requireNonNull(password, "password");
        this.properties = Map.copyOf(properties);
    }

    /**
     * The DSQL cluster's endpoint, as {@code role}, with IAM tokens signed by {@code credentials}.
     *
     * @param clusterId   the cluster identifier (26 characters)
     * @param region      its Region
     * @param role        the database role (see {@code SourceRoleSql} in the sql module)
     * @param credentials the caller's credentials (the SDK's default chain in production)
     * @return the connector
     */
    public static SqlConnector forCluster(
            String clusterId, Region region, String role, AwsCredentialsProvider credentials) {
        return forHost(host(clusterId, region), region, role, credentials);
    }

    /**
     * @param host        the cluster's endpoint host
     * @param region      its Region
     * @param role        the database role
     * @param credentials the caller's credentials
     * @return a connector to {@code host}
     */
    public static SqlConnector forHost(String host, Region region, String role, AwsCredentialsProvider credentials) {
        DsqlUtilities tokens = DsqlUtilities.builder()
                .region(region)
                .credentialsProvider(credentials)
                .build();
        Map<String, String> properties = new LinkedHashMap<>();
        // TLS always, the server's name verified against the JVM's trust store.
        properties.put("sslmode", "verify-full");
        properties.put("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
        properties.putAll(timeouts());
        // DSQL's admin role takes only a DbConnectAdmin token, every other role only a DbConnect one.
        Supplier<String> token = ADMIN_ROLE.equals(role)
                ? () -> tokens.generateDbConnectAdminAuthToken(
                        b -> b.hostname(host).region(region).expiresIn(TOKEN_LIFETIME))
                : () -> tokens.generateDbConnectAuthToken(
                        b -> b.hostname(host).region(region).expiresIn(TOKEN_LIFETIME));
        return new SqlConnector(
                "jdbc:postgresql://" + host + ":" + DSQL_PORT + "/" + DSQL_DATABASE, role, token, properties);
    }

    /** @return the endpoint host of a cluster, {@code <id>.dsql.<region>.on.aws} */
    public static String host(String clusterId, Region region) {
        return clusterId + ".dsql." + region.id() + ".on.aws";
    }

    /**
     * Timeouts that keep a stuck connection from outliving a page: connecting within 10 s, and no
     * socket read blocked for more than 5 minutes, DSQL's limit on a transaction.
     */
    public static Map<String, String> timeouts() {
        return Map.of("connectTimeout", "10", "socketTimeout", "300", "tcpKeepAlive", "true");
    }

    /**
     * @return a new connection (auto-commit on, as pgjdbc opens it)
     * @throws SQLException when it cannot be opened (the message names the URL and role)
     */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.putAll(properties);
        props.setProperty("user", user);
        props.setProperty("password", password.get());
        // Read-only transactions begin with BEGIN READ ONLY (pgjdbc's readOnlyMode=transaction).
        props.setProperty("readOnlyMode", "transaction");
        props.setProperty("ApplicationName", "dsql-cdc-backfill");
        // String parameters go untyped, so CAST(? AS <type>) reads a key value's text with the
        // column type's own input function (bytea, uuid, timestamptz alike).
        props.setProperty("stringtype", "unspecified");
        // Values are read as the server's text: with binary transfer (which pgjdbc turns on for a
        // statement after a few executions) getString rebuilds some types' text itself, and a timetz
        // comes back in another offset.
        props.setProperty("binaryTransfer", "false");
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new SQLException(
                    "cannot connect to " + url + " as " + user + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** @return the JDBC URL */
    public String url() {
        return url;
    }

    /** @return the database role */
    public String user() {
        return user;
    }

    /** @return the connection properties besides user and password */
    public Map<String, String> properties() {
        return properties;
    }

    /** @return a password as the connector would send it (for tests of the token) */
    String password() {
        return password.get();
    }
}
