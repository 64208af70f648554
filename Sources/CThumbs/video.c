// Video thumbnails: the first frame of a video, decoded with FFmpeg's libraries, resized with
// our Lanczos-3 and encoded with TurboJPEG. The libraries are loaded with dlopen the first time
// a video needs them (as libvips is), so Skein runs without them and says so per video.
#include "internal.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libavutil/macros.h>
#include <libswscale/swscale.h>

static struct {
    int loaded;
    char error[160];
    int (*open_input)(AVFormatContext **, const char *, const AVInputFormat *, AVDictionary **);
    int (*find_stream_info)(AVFormatContext *, AVDictionary **);
    int (*find_best_stream)(AVFormatContext *, enum AVMediaType, int, int, const AVCodec **, int);
    void (*close_input)(AVFormatContext **);
    int (*read_frame)(AVFormatContext *, AVPacket *);
    AVCodecContext *(*alloc_context)(const AVCodec *);
    int (*parameters_to_context)(AVCodecContext *, const AVCodecParameters *);
    int (*open_codec)(AVCodecContext *, const AVCodec *, AVDictionary **);
    int (*send_packet)(AVCodecContext *, const AVPacket *);
    int (*receive_frame)(AVCodecContext *, AVFrame *);
    void (*free_context)(AVCodecContext **);
    AVPacket *(*packet_alloc)(void);
    void (*packet_free)(AVPacket **);
    void (*packet_unref)(AVPacket *);
    AVFrame *(*frame_alloc)(void);
    void (*frame_free)(AVFrame **);
    int (*strerror)(int, char *, size_t);
    unsigned (*avutil_version)(void);
    unsigned (*avcodec_version)(void);
    unsigned (*avformat_version)(void);
    unsigned (*swscale_version)(void);
    void (*log_set_level)(int);
    struct SwsContext *(*sws_get_context)(int, int, enum AVPixelFormat, int, int, enum AVPixelFormat, int,
                                          SwsFilter *, SwsFilter *, const double *);
    int (*sws_scale)(struct SwsContext *, const uint8_t *const[], const int[], int, int, uint8_t *const[], const int[]);
    void (*sws_free_context)(struct SwsContext *);
} av;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/// Opens `name` (or `name` in $SKEIN_FFMPEG_LIBS when set: the folder to load them from).
static void *open_library(const char *name) {
    const char *folder = getenv("SKEIN_FFMPEG_LIBS");
    char path[1024];
    if (folder && *folder) {
        snprintf(path, sizeof(path), "%s/%s", folder, name);
        return dlopen(path, RTLD_NOW | RTLD_LOCAL);
    }
    return dlopen(name, RTLD_NOW | RTLD_LOCAL);
}

#define LOAD(handle, field, symbol)                                                             \
    if (!(*(void **)&av.field = dlsym(handle, symbol))) {                                       \
        snprintf(av.error, sizeof(av.error), "no video decoder: %s lacks %s", #handle, symbol); \
        return;                                                                                 \
    }

static void load(void) {
    // Exactly the major versions the headers describe: the structs are read in place, so another
    // version's layout would be read wrongly. No unversioned fallback.
    const char *names[] = {"libavutil.so." AV_STRINGIFY(LIBAVUTIL_VERSION_MAJOR), "libavcodec.so." AV_STRINGIFY(LIBAVCODEC_VERSION_MAJOR),
                           "libavformat.so." AV_STRINGIFY(LIBAVFORMAT_VERSION_MAJOR), "libswscale.so." AV_STRINGIFY(LIBSWSCALE_VERSION_MAJOR)};
    void *handles[4];
    for (int i = 0; i < 4; i++) {
        handles[i] = open_library(names[i]);
        if (!handles[i]) {
            snprintf(av.error, sizeof(av.error),
                     "no video decoder: FFmpeg's %s can't be loaded (on Debian: apt-get install ffmpeg)", names[i]);
            return;
        }
    }
    void *avutil = handles[0], *avcodec = handles[1], *avformat = handles[2], *swscale = handles[3];
    LOAD(avformat, open_input, "avformat_open_input")
    LOAD(avformat, find_stream_info, "avformat_find_stream_info")
    LOAD(avformat, find_best_stream, "av_find_best_stream")
    LOAD(avformat, close_input, "avformat_close_input")
    LOAD(avformat, read_frame, "av_read_frame")
    LOAD(avcodec, alloc_context, "avcodec_alloc_context3")
    LOAD(avcodec, parameters_to_context, "avcodec_parameters_to_context")
    LOAD(avcodec, open_codec, "avcodec_open2")
    LOAD(avcodec, send_packet, "avcodec_send_packet")
    LOAD(avcodec, receive_frame, "avcodec_receive_frame")
    LOAD(avcodec, free_context, "avcodec_free_context")
    LOAD(avcodec, packet_alloc, "av_packet_alloc")
    LOAD(avcodec, packet_free, "av_packet_free")
    LOAD(avcodec, packet_unref, "av_packet_unref")
    LOAD(avutil, frame_alloc, "av_frame_alloc")
    LOAD(avutil, frame_free, "av_frame_free")
    LOAD(avutil, strerror, "av_strerror")
    LOAD(avutil, log_set_level, "av_log_set_level")
    LOAD(swscale, sws_get_context, "sws_getContext")
    LOAD(swscale, sws_scale, "sws_scale")
    LOAD(swscale, sws_free_context, "sws_freeContext")
    LOAD(avutil, avutil_version, "avutil_version")
    LOAD(avcodec, avcodec_version, "avcodec_version")
    LOAD(avformat, avformat_version, "avformat_version")
    LOAD(swscale, swscale_version, "swscale_version")
    unsigned majors[] = {av.avutil_version() >> 16, av.avcodec_version() >> 16, av.avformat_version() >> 16, av.swscale_version() >> 16};
    unsigned wanted[] = {LIBAVUTIL_VERSION_MAJOR, LIBAVCODEC_VERSION_MAJOR, LIBAVFORMAT_VERSION_MAJOR, LIBSWSCALE_VERSION_MAJOR};
    for (int i = 0; i < 4; i++) {
        if (majors[i] != wanted[i]) {
            snprintf(av.error, sizeof(av.error), "no video decoder: %s is version %u, Skein was built for %u", names[i], majors[i], wanted[i]);
            return;
        }
    }
    av.log_set_level(AV_LOG_QUIET);
    av.loaded = 1;
}

static skein_thumb_status av_failure(skein_thumb_result *result, const char *what, int code) {
    char text[128] = "";
    av.strerror(code, text, sizeof(text));
    return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode the video: %s: %s", what, text);
}

/// Decodes frames of `stream` until the first picture; 0, or a negative AVERROR.
static int first_picture(AVFormatContext *format, AVCodecContext *codec, int stream, AVPacket *packet, AVFrame *frame) {
    int packets = 0;
    for (;;) {
        int got = av.receive_frame(codec, frame);
        if (got == 0) return 0;
        if (got != AVERROR(EAGAIN)) return got;
        int read = av.read_frame(format, packet);
        if (read == AVERROR_EOF) {
            av.send_packet(codec, NULL); // flush: the decoder may hold the first picture back
            got = av.receive_frame(codec, frame);
            return got == 0 ? 0 : AVERROR_INVALIDDATA;
        }
        if (read < 0) return read;
        if (packet->stream_index == stream) {
            int sent = av.send_packet(codec, packet);
            if (sent < 0 && sent != AVERROR(EAGAIN)) { av.packet_unref(packet); return sent; }
        }
        av.packet_unref(packet);
        // A stream that never yields a picture is not read to its end.
        if (++packets > 5000) return AVERROR_INVALIDDATA;
    }
}

skein_thumb_status skein_thumb_video(const char *path, const skein_thumb_request *request, skein_thumb_result *result) {
    memset(result, 0, sizeof(*result));
    pthread_once(&load_once, load);
    if (!av.loaded) return thumb_fail(result, SKEIN_THUMB_NO_DECODER, "%s", av.error);

    skein_thumb_status status = SKEIN_THUMB_OK;
    AVFormatContext *format = NULL;
    AVCodecContext *codec = NULL;
    AVPacket *packet = NULL;
    AVFrame *frame = NULL;
    struct SwsContext *scaler = NULL;
    thumb_image decoded = {0}, resized = {0};
    int code;

    if ((code = av.open_input(&format, path, NULL, NULL)) < 0) { status = av_failure(result, "open", code); goto done; }
    // The sizes the container declares, checked before anything is decoded (probing the
    // streams decodes frames already).
    for (unsigned i = 0; i < format->nb_streams; i++) {
        const AVCodecParameters *declared = format->streams[i]->codecpar;
        if (declared->codec_type == AVMEDIA_TYPE_VIDEO && (status = thumb_check_pixels(request, declared->width, declared->height, result))) {
            result->source_width = declared->width;
            result->source_height = declared->height;
            goto done;
        }
    }
    if ((code = av.find_stream_info(format, NULL)) < 0) { status = av_failure(result, "stream info", code); goto done; }
    const AVCodec *decoder = NULL;
    int stream = av.find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (stream < 0 || !decoder) {
        status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode the video: %s",
                            stream == AVERROR_DECODER_NOT_FOUND ? "no decoder for its codec" : "no video stream");
        goto done;
    }
    const AVCodecParameters *parameters = format->streams[stream]->codecpar;
    if ((status = thumb_check_pixels(request, parameters->width, parameters->height, result))) goto done;
    if (!(codec = av.alloc_context(decoder)) || !(packet = av.packet_alloc()) || !(frame = av.frame_alloc())) {
        status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory");
        goto done;
    }
    codec->thread_count = 1; // thumbnails run in parallel already
    if ((code = av.parameters_to_context(codec, parameters)) < 0 || (code = av.open_codec(codec, decoder, NULL)) < 0) {
        status = av_failure(result, "open the decoder", code);
        goto done;
    }
    if ((code = first_picture(format, codec, stream, packet, frame)) < 0) { status = av_failure(result, "first frame", code); goto done; }
    int width = frame->width, height = frame->height;
    if (width <= 0 || height <= 0) { status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode the video: an empty frame"); goto done; }
    if ((status = thumb_check_pixels(request, width, height, result))) goto done;
    result->source_width = width;
    result->source_height = height;

    // swscale writes whole vectors: its rows get padding, and are copied out tight after.
    int stride = (width * 3 + 63) & ~63;
    uint8_t *padded = malloc((size_t)stride * (height + 1) + 64);
    decoded.width = width;
    decoded.height = height;
    decoded.channels = 3;
    decoded.pixels = malloc((size_t)width * height * 3);
    scaler = av.sws_get_context(width, height, (enum AVPixelFormat)frame->format, width, height, AV_PIX_FMT_RGB24,
                                SWS_BILINEAR, NULL, NULL, NULL);
    if (!padded || !decoded.pixels || !scaler) {
        free(padded);
        status = scaler ? thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory")
                        : thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot decode the video: its pixel format can't be converted to RGB");
        goto done;
    }
    uint8_t *planes[4] = {padded, NULL, NULL, NULL};
    int strides[4] = {stride, 0, 0, 0};
    int rows = av.sws_scale(scaler, (const uint8_t *const *)frame->data, frame->linesize, 0, height, planes, strides);
    for (int y = 0; y < height && rows == height; y++) {
        memcpy(decoded.pixels + (size_t)y * width * 3, padded + (size_t)y * stride, (size_t)width * 3);
    }
    free(padded);
    if (rows != height) {
        status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot convert the frame to RGB");
        goto done;
    }
    int target_w, target_h;
    skein_thumb_fit(width, height, request->box_width, request->box_height, &target_w, &target_h);
    if (thumb_resize(&decoded, target_w, target_h, &resized)) { status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); goto done; }
    status = thumb_encode_jpeg(&resized, request->jpeg_quality, result);

done:
    thumb_image_free(&decoded);
    thumb_image_free(&resized);
    if (scaler) av.sws_free_context(scaler);
    if (frame) av.frame_free(&frame);
    if (packet) av.packet_free(&packet);
    if (codec) av.free_context(&codec);
    if (format) av.close_input(&format);
    return status;
}
