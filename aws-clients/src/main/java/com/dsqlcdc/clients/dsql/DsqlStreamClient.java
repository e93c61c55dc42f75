package com.dsqlcdc.clients.dsql;

/**
 * The Aurora DSQL CDC stream operations, shaped like the generated SDK client's
 * ({@code software.amazon.awssdk.services.dsql.DsqlClient} from 2.44.5 on), so that the generated
 * client can replace {@link SignedDsqlStreamClient} once this project's Maven registry has it.
 *
 * <p>Errors surface as the generated model's exceptions
 * ({@code software.amazon.awssdk.services.dsql.model.ValidationException},
 * {@code ResourceNotFoundException}, {@code ConflictException},
 * {@code ServiceQuotaExceededException}, {@code AccessDeniedException}, {@code ThrottlingException},
 * {@code InternalServerException}), all subclasses of {@code DsqlException}, exactly as the
 * generated client throws them.
 */
public interface DsqlStreamClient extends AutoCloseable {

    CreateStreamResponse createStream(CreateStreamRequest request);

    GetStreamResponse getStream(GetStreamRequest request);

    ListStreamsResponse listStreams(ListStreamsRequest request);

    DeleteStreamResponse deleteStream(DeleteStreamRequest request);

    @Override
    void close();
}
