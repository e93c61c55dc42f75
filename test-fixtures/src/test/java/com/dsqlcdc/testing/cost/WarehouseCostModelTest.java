package com.dsqlcdc.testing.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dsqlcdc.testing.cost.WarehouseCostModel.Work;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarehouseCostModelTest {

    private static final long S = 1_000_000_000L;

    @Test
    void statementsAreClassifiedFromTheirSql() {
        assertThat(SqlKind.of("COPY \"staged\" (\"a\") FROM 's3://b/m' MANIFEST"))
                .isEqualTo(SqlKind.COPY);
        assertThat(SqlKind.of("MERGE INTO t USING s ON t.k = s.k WHEN MATCHED THEN UPDATE SET v = s.v"))
                .isEqualTo(SqlKind.MERGE);
        assertThat(SqlKind.of("  -- comment\n(SELECT 1)")).isEqualTo(SqlKind.QUERY);
        assertThat(SqlKind.of("WITH x AS (SELECT 1) SELECT * FROM x")).isEqualTo(SqlKind.QUERY);
        assertThat(SqlKind.of("CREATE TEMP TABLE \"s\" AS\nSELECT 1")).isEqualTo(SqlKind.CREATE_AS);
        assertThat(SqlKind.of("CREATE TABLE \"x\" (\"a\" INT)")).isEqualTo(SqlKind.DDL);
        assertThat(SqlKind.of("DELETE FROM t USING s WHERE t.k = s.k")).isEqualTo(SqlKind.DML);
        assertThat(SqlKind.of("LOCK \"cdc\".\"loader_state\"")).isEqualTo(SqlKind.LOCK);
        assertThat(SqlKind.QUERY.writes()).isFalse();
        assertThat(SqlKind.LOCK.writes()).isFalse();
        assertThat(SqlKind.CREATE_AS.writes())
                .as("temporary tables commit too (conservative)")
                .isTrue();
    }

    @Test
    void aCopyCostsItsFixedPartPlusFilesPlusMegabytes() {
        WarehouseCostModel m = WarehouseCostModel.central();
        Duration one = m.execution(SqlKind.COPY, Work.copy(1, 0, 0));
        Duration many = m.execution(SqlKind.COPY, Work.copy(101, 100L * 1_048_576, 100_000));
        assertThat(one).isEqualTo(m.copyFixed().plus(m.copyPerFile()));
        assertThat(many.minus(one))
                .isEqualTo(m.copyPerFile().multipliedBy(100).plus(m.copyPerMb().multipliedBy(100)));
        assertThat(one).as("seconds, not milliseconds").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aMergeGrowsWithItsSourceRowsAndItsTarget() {
        WarehouseCostModel m = WarehouseCostModel.central();
        assertThat(m.execution(SqlKind.MERGE, Work.merge(10_000, 1_000_000)))
                .isEqualTo(m.mergeFixed()
                        .plus(m.mergePerRow().multipliedBy(10_000))
                        .plus(m.mergePerMillionTargetRows()));
        assertThat(m.execution(SqlKind.DML, Work.rows(1000)))
                .isEqualTo(m.statementFixed().plus(m.statementPerRow().multipliedBy(1000)));
    }

    @Test
    void aStatementsTimeIsItsFixedPartPlusTheWorkThatUsesTheWarehousesCapacity() {
        WarehouseCostModel m = WarehouseCostModel.central();
        Work work = new Work(10_000, 3, 3_000_000, 1_000_000);
        for (SqlKind kind : SqlKind.values()) {
            assertThat(m.execution(kind, work)).isEqualTo(m.fixed(kind).plus(m.proportional(kind, work)));
        }
        assertThat(m.proportional(SqlKind.COPY, Work.NONE)).isZero();
        assertThat(m.fixed(SqlKind.COPY)).isEqualTo(m.copyFixed());
    }

    @Test
    void theRangesBracketTheCentralValues() {
        WarehouseCostModel low = WarehouseCostModel.optimistic();
        WarehouseCostModel mid = WarehouseCostModel.central();
        WarehouseCostModel high = WarehouseCostModel.pessimistic();
        for (SqlKind kind : SqlKind.values()) {
            Work work = new Work(5_000, 10, 5_000_000, 1_000_000);
            assertThat(low.execution(kind, work)).isLessThanOrEqualTo(mid.execution(kind, work));
            assertThat(mid.execution(kind, work)).isLessThanOrEqualTo(high.execution(kind, work));
        }
        assertThat(low.commit()).isLessThan(mid.commit()).isLessThan(high.commit());
        assertThat(mid.figures())
                .hasSizeGreaterThan(15)
                .allSatisfy(f -> assertThat(f.source()).isNotBlank());
    }

    @Test
    void commitsRunOneAtATimeInTheOrderTheyBecomeReady() {
        SerialQueue queue = new SerialQueue();
        assertThat(queue.reserve(10 * S, S)).isEqualTo(11 * S);
        assertThat(queue.reserve(10 * S, S)).as("waits for the first").isEqualTo(12 * S);
        assertThat(queue.reserve(5 * S, S))
                .as("ready earlier: fits before them")
                .isEqualTo(6 * S);
        assertThat(queue.reserve(9 * S + S / 2, S))
                .as("does not fit in the half second left")
                .isEqualTo(13 * S);
        assertThat(queue.reserve(20 * S, S)).isEqualTo(21 * S);
        assertThat(queue.uses()).isEqualTo(5);
        assertThat(queue.waitedNanos()).isEqualTo(S + 2 * S + S / 2);
        queue.forgetBefore(15 * S);
        assertThat(queue.reserve(14 * S, S)).isEqualTo(15 * S);
    }

    @Test
    void everyBurstIsBilledAtLeastAMinute() {
        Duration minute = Duration.ofSeconds(60);
        assertThat(Billing.billed(List.of(new Billing.Interval(0, 5 * S)), minute))
                .isEqualTo(minute);
        assertThat(Billing.billed(
                        List.of(new Billing.Interval(0, 5 * S), new Billing.Interval(30 * S, 35 * S)), minute))
                .as("a second burst inside the first one's minute adds nothing")
                .isEqualTo(minute);
        assertThat(Billing.billed(
                        List.of(new Billing.Interval(0, 5 * S), new Billing.Interval(50 * S, 70 * S)), minute))
                .as("one that runs past it extends the burst to its end")
                .isEqualTo(Duration.ofSeconds(70));
        assertThat(Billing.billed(
                        List.of(new Billing.Interval(300 * S, 301 * S), new Billing.Interval(0, 90 * S)), minute))
                .isEqualTo(Duration.ofSeconds(150));
        assertThat(Billing.active(List.of(new Billing.Interval(0, 5 * S), new Billing.Interval(3 * S, 7 * S))))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(Billing.billed(
                        List.of(new Billing.Interval(0, 5 * S), new Billing.Interval(100 * S, 101 * S)),
                        minute,
                        30 * S,
                        120 * S))
                .as("only what falls inside a measurement window")
                .isEqualTo(Duration.ofSeconds(30 + 20));
        assertThatThrownBy(() -> new Billing.Interval(2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
