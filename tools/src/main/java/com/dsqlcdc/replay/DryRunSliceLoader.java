package com.dsqlcdc.replay;

import com.dsqlcdc.consumer.InputRecord;
import com.dsqlcdc.consumer.decode.ChangeDecoder;
import com.dsqlcdc.consumer.decode.Decoded;
import com.dsqlcdc.consumer.decode.PoisonReason;
import com.dsqlcdc.consumer.stage.StagedFileWriter;
import com.dsqlcdc.consumer.stage.StagedRow;
import java.util.ArrayList;
import java.util.List;

/**
 * A dry run: decodes each record with the Lambda's decoder and says what staging would do,
 * writing nothing. A change whose row is over a COPY record's limit would be left; a piece of a
 * chunked change would be parked.
 */
final class DryRunSliceLoader implements SliceLoader {

    private final ChangeDecoder decoder;
    private final StagedFileWriter files;

    /**
     * @param decoder   the decoder the real run would use ({@code BatchProcessors.decoder()})
     * @param files     staged lines, for their size
     */
    DryRunSliceLoader(ChangeDecoder decoder, StagedFileWriter files) {
        this.decoder = decoder;
        this.files = files;
    }

    @Override
    public SliceOutcome load(List<InputRecord> slice) {
        long loaded = 0;
        long parked = 0;
        List<Left> left = new ArrayList<>();
        for (InputRecord record : slice) {
            RecordId id = RecordId.of(record);
            Decoded decoded = decoder.decode(record.data());
            if (decoded instanceof Decoded.Ok ok) {
                StagedFileWriter.Line line =
                        files.line(new StagedRow(0, ok.change(), record.shardId(), record.sequenceNumber()));
                if (line.fits()) {
                    loaded++;
                } else {
                    left.add(Left.record(
                            id,
                            PoisonReason.ROW_TOO_LARGE.label(),
                            "the row is " + line.copyBytes() + " bytes as a COPY record, over the "
                                    + StagedFileWriter.MAX_RECORD_BYTES + " bytes Redshift's COPY accepts"));
                }
            } else if (decoded instanceof Decoded.Poison poison) {
                left.add(Left.record(id, poison.reason().label(), poison.detail()));
            } else {
                parked++;
            }
        }
        return new SliceOutcome(loaded, parked, left, List.of(), List.of());
    }
}
