package com.dsqlcdc.infra.stateful;

import com.dsqlcdc.contract.StagingLayout;
import com.dsqlcdc.infra.Nag;
import com.dsqlcdc.infra.Ordered;
import com.dsqlcdc.infra.config.WarehouseConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Names;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.UniqueResourceNameOptions;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.CompositePrincipal;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.redshiftserverless.CfnNamespace;
import software.amazon.awscdk.services.redshiftserverless.CfnWorkgroup;
import software.constructs.Construct;

/**
 * The Redshift Serverless warehouse: a namespace (the data, encrypted with a customer managed key,
 * admin password generated and kept in Secrets Manager by Redshift itself) and a workgroup (the
 * compute) in a VPC of isolated subnets in three Availability Zones. Nothing can reach the
 * workgroup from the internet: no public access, no internet or NAT gateway, a security group
 * without ingress rules. The pipeline talks to it through the Redshift Data API only. The namespace
 * has one IAM role (also its default), for the loader's {@code COPY} from the staging bucket's
 * {@code staged/} and {@code manifests/} prefixes. With {@code warehouse.largeStrings} the workgroup takes strings of up to 16,000,000 bytes
 * inside SUPER values.
 *
 * <p>There is no L2 for Redshift Serverless; the two resources are L1s.
 */
public final class Warehouse extends Construct implements IWarehouse {

    /** The namespace's admin user. Its password never appears anywhere: Redshift generates and keeps it. */
    public static final String ADMIN_USERNAME = "cdc_admin";
    /** Workgroup settings: encrypted connections only; quoted names and SUPER attributes keep their case. */
    static final Map<String, String> CONFIG_PARAMETERS = Map.of(
            "require_ssl", "true",
            "enable_case_sensitive_identifier", "true");
    /**
     * The workgroup parameter that raises the longest string inside a SUPER value from 65,535 to
     * 16,000,000 bytes ({@code warehouse.largeStrings}).
     */
    static final String LARGE_STRINGS_PARAMETER = "enable_large_strings_opt_in";
    /** Address range of the warehouse VPC (nothing peers with it). */
    static final String VPC_CIDR = "10.0.0.0/16";
    /** A /24 per subnet: far more addresses than the workgroup's ENIs need at its largest capacity. */
    static final int SUBNET_CIDR_MASK = 24;

    private static final int MAX_NAME_LENGTH = 64;

    private final Vpc vpc;
    private final SecurityGroup securityGroup;
    private final Key encryptionKey;
    private final Role copyRole;
    private final CfnNamespace namespace;
    private final CfnWorkgroup workgroup;
    private final String databaseName;
    private final int maxSuperStringBytes;
    private final String adminSecretArn;

    /**
     * @param scope parent construct
     * @param id    construct id
     * @param props capacity, database, zones, removal policy
     */
    public Warehouse(Construct scope, String id, WarehouseProps props) {
        super(scope, id);
        WarehouseConfig config = props.config();
        this.databaseName = config.databaseName();
        this.maxSuperStringBytes = config.maxSuperStringBytes();

        // Isolated subnets only: no internet gateway, no NAT. The S3 gateway endpoint is the way out
        // for enhanced VPC routing (COPY from S3 staging goes through the VPC's route tables). It has
        // no endpoint policy, so the default (any S3 action on any bucket, still subject to the
        // caller's own IAM policy) lets the COPY role reach the staging bucket; the role itself is
        // what limits COPY to staged/ and manifests/. An endpoint policy added here must allow that bucket.
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(VPC_CIDR))
                .availabilityZones(props.availabilityZones())
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("Warehouse")
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .cidrMask(SUBNET_CIDR_MASK)
                        .build()))
                .gatewayEndpoints(Map.of(
                        "S3",
                        GatewayVpcEndpointOptions.builder()
                                .service(GatewayVpcEndpointAwsService.S3)
                                .build()))
                // Who talked to the warehouse's network interfaces, accepted or rejected: for
                // incident review, kept as long as the app's other logs.
                .flowLogs(Map.of(
                        "FlowLog",
                        FlowLogOptions.builder()
                                .destination(FlowLogDestination.toCloudWatchLogs(
                                        LogGroup.Builder.create(this, "FlowLogs")
                                                .retention(props.logRetention())
                                                .removalPolicy(RemovalPolicy.DESTROY)
                                                .build(),
                                        flowLogRole()))
                                .trafficType(FlowLogTrafficType.ALL)
                                .build()))
                .build();

        // No ingress at all: the Data API does not connect through the VPC. Egress stays open: in
        // isolated subnets it can only reach the VPC itself and S3 through the gateway endpoint
        // (whose prefix list id cannot be known offline to narrow the rule further).
        this.securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(vpc)
                .description("Redshift Serverless workgroup: no inbound access; outbound stays in the VPC and S3")
                .allowAllOutbound(true)
                .build();

        // The role COPY names in IAM_ROLE: it may read staged/ and manifests/ of the staging bucket and
        // nothing else.
        // Both service principals: the Redshift Serverless guide asks for redshift.amazonaws.com and
        // redshift-serverless.amazonaws.com in the trust policy of a role associated with a namespace
        // ("Granting permissions to Amazon Redshift Serverless",
        // https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-security-other-services.html).
        // No aws:SourceAccount/aws:SourceArn condition: Redshift's guides do not document setting
        // them when it assumes a namespace role for COPY (they document sts:ExternalId with database
        // user ARNs instead), and a condition the service does not satisfy would break COPY.
        // NAG.md, "Trust policies", has the evidence.
        this.copyRole = Role.Builder.create(this, "CopyRole")
                .description("Redshift Serverless COPY from the staging bucket (staged/ and manifests/ only)")
                .assumedBy(new CompositePrincipal(
                        new ServicePrincipal("redshift.amazonaws.com"),
                        new ServicePrincipal("redshift-serverless.amazonaws.com")))
                .build();
        props.stagingBucket().grantCopy(copyRole);
        Nag.suppress(copyRole, StagingBucket.objectsUnderPrefixes(StagingLayout.STAGED, StagingLayout.MANIFESTS));

        this.encryptionKey = Key.Builder.create(this, "Key")
                .description("Encrypts the Redshift Serverless namespace and its admin secret "
                        + getNode().getPath())
                .enableKeyRotation(true)
                .removalPolicy(props.removalPolicy())
                .build();

        // CloudFormation requires both names. They are derived from the construct path (stable,
        // unique per stage) and meet Redshift's rules: 3-64 characters, lowercase letters, digits, -.
        this.namespace = CfnNamespace.Builder.create(this, "Namespace")
                .namespaceName(physicalName("ns"))
                .dbName(databaseName)
                .adminUsername(ADMIN_USERNAME)
                .manageAdminPassword(true)
                .adminPasswordSecretKmsKeyId(encryptionKey.getKeyArn())
                .kmsKeyId(encryptionKey.getKeyArn())
                // COPY ... IAM_ROLE '<arn>' may only name a role associated with the namespace. The
                // default role is set with it: Redshift Serverless's UpdateNamespace takes IamRoles and
                // DefaultIamRoleArn together. COPY still names the role explicitly.
                .iamRoles(List.of(copyRole.getRoleArn()))
                .defaultIamRoleArn(copyRole.getRoleArn())
                .build();
        namespace.applyRemovalPolicy(props.removalPolicy());

        this.workgroup = CfnWorkgroup.Builder.create(this, "Workgroup")
                .workgroupName(physicalName("wg"))
                .namespaceName(namespace.getRef())
                .baseCapacity(config.baseCapacityRpu())
                .enhancedVpcRouting(true)
                .publiclyAccessible(false)
                .subnetIds(isolatedSubnetIds())
                .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                .configParameters(configParameters(config.largeStrings()))
                .build();
        // Compute only: deleting the workgroup loses no data (the namespace holds it). It goes with
        // the stack so that a retained namespace can get a new workgroup.
        workgroup.applyRemovalPolicy(RemovalPolicy.DESTROY);

        this.adminSecretArn = adminSecretArn(props);

        getNode()
                .addValidation(() -> vpc.getAvailabilityZones().size() == WarehouseConfig.AVAILABILITY_ZONE_COUNT
                        ? List.of()
                        : List.of("Redshift Serverless needs subnets in " + WarehouseConfig.AVAILABILITY_ZONE_COUNT
                                + " Availability Zones, the VPC has "
                                + vpc.getAvailabilityZones().size()));
    }

    /**
     * The role VPC Flow Logs assumes to write the flow log group (the flow log grants it that
     * group's writes). Its trust carries the confused-deputy conditions the VPC Flow Logs guide
     * recommends ("IAM role for publishing flow logs to CloudWatch Logs"): the flow log's owner
     * account as {@code aws:SourceAccount}, and a flow log of this account and Region as
     * {@code aws:SourceArn}. The flow log's id exists only once the flow log does, which needs the
     * role first, hence {@code vpc-flow-log/*} (the guide's own suggestion).
     */
    private Role flowLogRole() {
        Stack stack = Stack.of(this);
        return Role.Builder.create(this, "FlowLogRole")
                .description("VPC Flow Logs of the warehouse VPC: writes its flow log group")
                .assumedBy(new ServicePrincipal("vpc-flow-logs.amazonaws.com")
                        .withConditions(Ordered.map(
                                "StringEquals",
                                Map.of("aws:SourceAccount", stack.getAccount()),
                                "ArnLike",
                                Map.of(
                                        "aws:SourceArn",
                                        "arn:" + stack.getPartition() + ":ec2:" + stack.getRegion() + ":"
                                                + stack.getAccount() + ":vpc-flow-log/*"))))
                .build();
    }

    /**
     * The workgroup's parameters, sorted by name: {@link #CONFIG_PARAMETERS}, plus
     * {@value #LARGE_STRINGS_PARAMETER} {@code Yes} when {@code largeStrings} is set (nothing when it
     * is not: the parameter then stays unset, i.e. Redshift's 65,535-byte limit).
     *
     * <p>Large strings let COPY and JSON_PARSE put a single string of up to 16,000,000 bytes into a
     * SUPER value (CDC rows with long text columns) instead of failing at 65,535. The key is not in
     * the CloudFormation or API documentation's list of workgroup parameters, but ConfigParameters
     * takes any key and the Redshift Serverless API accepts and returns this one
     * (hashicorp/terraform-provider-aws#49939). If a Region rejects it, the deploy fails with the
     * service's message; the fix is {@code warehouse.largeStrings: false}.
     *
     * <p>{@code json_parse_truncate_strings} is left at its default (off): a string over the limit is
     * an error, never silently truncated.
     */
    private static List<CfnWorkgroup.ConfigParameterProperty> configParameters(boolean largeStrings) {
        Map<String, String> values = new TreeMap<>(CONFIG_PARAMETERS);
        if (largeStrings) {
            values.put(LARGE_STRINGS_PARAMETER, "Yes");
        }
        List<CfnWorkgroup.ConfigParameterProperty> parameters = new ArrayList<>();
        values.forEach((name, value) -> parameters.add(CfnWorkgroup.ConfigParameterProperty.builder()
                .parameterKey(name)
                .parameterValue(value)
                .build()));
        return parameters;
    }

    private List<String> isolatedSubnetIds() {
        List<String> ids = new ArrayList<>();
        for (ISubnet subnet : vpc.selectSubnets(SubnetSelection.builder()
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .build())
                .getSubnets()) {
            ids.add(subnet.getSubnetId());
        }
        return ids;
    }

    /**
     * CloudFormation does not return the ARN of the admin secret that Redshift creates
     * ({@code ManageAdminPassword}; aws-cloudformation/cloudformation-coverage-roadmap#2021, and no
     * {@code attrNamespaceAdminPasswordSecretArn} on the L1), so it is read once per namespace with
     * GetNamespace, allowed on this namespace only.
     */
    private String adminSecretArn(WarehouseProps props) {
        AwsSdkCall getNamespace = AwsSdkCall.builder()
                .service("redshift-serverless")
                .action("GetNamespace")
                .parameters(Map.of("namespaceName", namespace.getRef()))
                .physicalResourceId(PhysicalResourceId.of(namespace.getRef()))
                // only this field reaches CloudFormation (and nothing secret: it is an ARN)
                .outputPaths(List.of(ADMIN_SECRET_ARN_PATH))
                .build();
        AwsCustomResource lookup = AwsCustomResource.Builder.create(this, "AdminSecretArn")
                .resourceType("Custom::RedshiftServerlessAdminSecretArn")
                .onCreate(getNamespace)
                .onUpdate(getNamespace)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(PolicyStatement.Builder.create()
                        .actions(List.of("redshift-serverless:GetNamespace"))
                        .resources(List.of(namespace.getAttrNamespaceNamespaceArn()))
                        .build())))
                .installLatestAwsSdk(false)
                .logGroup(LogGroup.Builder.create(this, "AdminSecretArnLogs")
                        .retention(props.logRetention())
                        .removalPolicy(RemovalPolicy.DESTROY)
                        .build())
                .build();
        // The AwsCustomResource's function is a singleton of the stack, outside this construct.
        Nag.suppressAwsCustomResourceSingleton(Stack.of(this), "GetNamespace on this namespace");
        return lookup.getResponseField(ADMIN_SECRET_ARN_PATH);
    }

    /** Path of the admin secret's ARN in the GetNamespace response. */
    static final String ADMIN_SECRET_ARN_PATH = "namespace.adminPasswordSecretArn";

    /**
     * @param suffix what the name is for ({@code ns}, {@code wg})
     * @return this construct's unique name (its path with a hash, so unique per stage and stable
     *         across synths) in lowercase, plus the suffix: at most 64 characters
     */
    private String physicalName(String suffix) {
        return Names.uniqueResourceName(
                                this,
                                UniqueResourceNameOptions.builder()
                                        .maxLength(MAX_NAME_LENGTH - suffix.length() - 1)
                                        .separator("-")
                                        .build())
                        .toLowerCase(Locale.ROOT)
                + "-" + suffix;
    }

    @Override
    public String getWorkgroupName() {
        return workgroup.getAttrWorkgroupWorkgroupName();
    }

    @Override
    public String getWorkgroupArn() {
        return workgroup.getAttrWorkgroupWorkgroupArn();
    }

    @Override
    public String getDatabaseName() {
        return databaseName;
    }

    @Override
    public int getMaxSuperStringBytes() {
        return maxSuperStringBytes;
    }

    @Override
    public String getAdminSecretArn() {
        return adminSecretArn;
    }

    @Override
    public IRole getCopyRole() {
        return copyRole;
    }

    @Override
    public IKey getEncryptionKey() {
        return encryptionKey;
    }

    /** @return the warehouse VPC (isolated subnets in three zones) */
    public IVpc getVpc() {
        return vpc;
    }

    /** @return the workgroup's security group (no ingress) */
    public ISecurityGroup getSecurityGroup() {
        return securityGroup;
    }
}
