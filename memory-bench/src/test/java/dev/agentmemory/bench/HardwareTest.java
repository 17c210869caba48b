package dev.agentmemory.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The arithmetic of what the hardware allows; the bandwidth probe only for giving a figure at all. */
class HardwareTest {

    @Test
    void hundredThousandFloat32VectorsOf384AreAHundredAndFiftyThreePointSixMegabytes() {
        assertThat(Hardware.vectorBytes(100_000, 384, Hardware.FLOAT32)).isEqualTo(153_600_000.0);
        assertThat(Hardware.vectorBytes(100_000, 384, Hardware.FLOAT16)).isEqualTo(76_800_000.0);
    }

    @Test
    void theHeapFloorAddsEachArraysHeaderAndCountsInMebibytes() {
        // 153.6 MB of floats and 1.6 MB of headers: 155.2e6 bytes, 148.0 MiB.
        assertThat(Hardware.vectorHeapMiB(100_000, 384, Hardware.FLOAT32)).isCloseTo(155_200_000 / 1048576.0, within(1e-9));
        assertThat(Hardware.vectorHeapMiB(100_000, 384, Hardware.FLOAT32)).isCloseTo(148.0, within(0.05));
    }

    @Test
    void anExactScanTakesAtLeastItsBytesOverTheBandwidth() {
        // 153.6 MB at 10 GB/s: 15.36 ms, three times issue 16's 5 ms.
        assertThat(Hardware.scanFloorMs(100_000, 384, Hardware.FLOAT32, 10e9)).isCloseTo(15.36, within(1e-9));
        assertThat(Hardware.scanFloorMs(100_000, 384, Hardware.FLOAT16, 10e9)).isCloseTo(7.68, within(1e-9));
    }

    @Test
    void pagesReadFromMemoryTakeTheirEightKilobytesEach() {
        assertThat(Hardware.pagesFloorMs(1_000, 8.192e9)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void coresOverTheCpuOfOneOperationBoundTheRate() {
        // 2 cores, 1.25 ms of CPU a row: 1,600 rows/s.
        assertThat(Hardware.cpuBoundRate(2, 0.00125)).isCloseTo(1_600, within(1e-9));
        assertThat(Hardware.cpuBoundRate(2, 0)).isInfinite();
    }

    @Test
    void theModelsBatchRateBoundsAgentOperationsByTheTextsEachEmbeds() {
        // 320 texts/s, 0.9 texts an operation: 355.6 ops/s.
        assertThat(Hardware.modelBoundOps(320, 0.9)).isCloseTo(355.56, within(0.01));
    }

    @Test
    void theBestStoreRatioIsThePeersCpuPerRowOverOurServerCpuAlone() {
        // Peer: 1.3 ms server + 0.1 ms client a row; our server 1.3 ms: at most x1.077, short of 1.2.
        assertThat(Hardware.bestStoreRatio(0.0014, 0.0013)).isCloseTo(1.0769, within(1e-4));
    }

    @Test
    void theBandwidthProbeGivesAPositiveFigure() throws Exception {
        Hardware.Bandwidth b = Hardware.measureBandwidth(2);
        assertThat(b.bytesPerSecond()).isPositive();
        assertThat(b.threads()).isEqualTo(2);
    }
}
