// JPEG thumbnails with TurboJPEG: decode at the smallest DCT scale that still leaves twice the
// thumbnail's size (so most of the image is never inverse-transformed), Lanczos-3 the rest,
// apply the EXIF orientation, encode.
#include "internal.h"
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>
#include <turbojpeg.h>

#define JMSG_LENGTH_MAX_COPY 200

/// The body of the first marker segment `marker` before the image data whose body starts with
/// `prefix`; NULL when there is none (or the segments can't be walked).
static const uint8_t *find_segment(const uint8_t *bytes, size_t length, uint8_t marker,
                                   const char *prefix, size_t prefix_length, size_t *body_length) {
    if (length < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8) return NULL;
    size_t at = 2;
    while (at + 4 <= length) {
        if (bytes[at] != 0xFF) return NULL;
        uint8_t found = bytes[at + 1];
        if (found == 0xFF) { at++; continue; }             // fill byte
        if (found == 0xDA || found == 0xD9) return NULL;   // start of scan, end of image
        size_t size = ((size_t)bytes[at + 2] << 8) | bytes[at + 3];
        if (size < 2 || at + 2 + size > length) return NULL;
        const uint8_t *body = bytes + at + 4;
        if (found == marker && size - 2 >= prefix_length && memcmp(body, prefix, prefix_length) == 0) {
            *body_length = size - 2;
            return body;
        }
        at += 2 + size;
    }
    return NULL;
}

/// True when the JPEG carries an ICC profile (APP2 "ICC_PROFILE"): its colours then need a
/// colour-managed path to become sRGB.
static int has_icc_profile(const uint8_t *bytes, size_t length) {
    size_t body_length;
    return find_segment(bytes, length, 0xE2, "ICC_PROFILE\0", 12, &body_length) != NULL;
}

int skein_thumb_jpeg_orientation(const uint8_t *bytes, size_t length) {
    size_t body_length;
    const uint8_t *exif = find_segment(bytes, length, 0xE1, "Exif\0\0", 6, &body_length);
    return exif ? thumb_exif_orientation(exif + 6, body_length - 6) : 1;
}

/// Per-thread TurboJPEG handles, kept for the thread's life: creating them for every image
/// costs more than encoding a thumbnail. Two decompressors, because TurboJPEG 2 keeps the
/// last call's STOPONWARNING in the handle, headers included: the strict one decodes with it,
/// the lenient one reads headers and decodes through a benign warning without it.
enum { STRICT_DECODER, LENIENT_DECODER, ENCODER, HANDLE_KINDS };
static pthread_key_t handle_keys[HANDLE_KINDS];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;
static void destroy_handle(void *handle) { tjDestroy(handle); }
static void make_keys(void) {
    for (int i = 0; i < HANDLE_KINDS; i++) pthread_key_create(&handle_keys[i], destroy_handle);
}
static tjhandle thread_handle(int kind) {
    pthread_once(&keys_once, make_keys);
    tjhandle handle = pthread_getspecific(handle_keys[kind]);
    if (!handle && (handle = kind == ENCODER ? tjInitCompress() : tjInitDecompress())) pthread_setspecific(handle_keys[kind], handle);
    return handle;
}

/// libjpeg's warning for junk between two markers ("Corrupt JPEG data: N extraneous bytes
/// before marker 0xNN"): cameras and editors write it, every viewer shows the image. The one
/// warning taken as benign; truncation and damaged entropy data stay failures.
static int is_extraneous_bytes(const char *message) {
    return message && strstr(message, "extraneous bytes before marker") != NULL;
}

/// A handle that failed is thrown away: TurboJPEG 2 leaves a decompressor whose header read
/// failed part-way in that state, and the next file's header would be read from there
/// ("Bogus Huffman table definition" on a good file).
static void drop_handle(int kind) {
    tjhandle handle = pthread_getspecific(handle_keys[kind]);
    if (!handle) return;
    pthread_setspecific(handle_keys[kind], NULL);
    tjDestroy(handle);
}

static skein_thumb_status tj_failure(tjhandle handle, int kind, skein_thumb_result *result, const char *what) {
    skein_thumb_status status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "%s: %s", what, tjGetErrorStr2(handle));
    drop_handle(kind);
    return status;
}

skein_thumb_status skein_thumb_jpeg(const uint8_t *bytes, size_t length,
                                    const skein_thumb_request *request, skein_thumb_result *result) {
    memset(result, 0, sizeof(*result));
    tjhandle decoder = thread_handle(STRICT_DECODER), lenient = thread_handle(LENIENT_DECODER);
    if (!decoder || !lenient) return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "cannot start TurboJPEG");
    skein_thumb_status status = SKEIN_THUMB_OK;
    thumb_image decoded = {0}, resized = {0}, oriented = {0};
    uint8_t *encoded = NULL;
    tjhandle encoder = NULL;
    char note[sizeof(result->message)] = "";

    // TurboJPEG can report success with only a warning ("Premature end of JPEG file") and
    // leave the size unset: the size must be checked, not just the return value.
    int width = 0, height = 0, subsampling = -1, colorspace = -1;
    if ((tjDecompressHeader3(lenient, bytes, (unsigned long)length, &width, &height, &subsampling, &colorspace) &&
         tjGetErrorCode(lenient) != TJERR_WARNING) || width <= 0 || height <= 0) {
        status = tj_failure(lenient, LENIENT_DECODER, result, "cannot read the header");
        goto done;
    }
    if ((status = thumb_check_pixels(request, width, height, result))) goto done;
    if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK) {
        status = thumb_fail(result, SKEIN_THUMB_UNSUPPORTED, "CMYK JPEG");
        goto done;
    }
    if (has_icc_profile(bytes, length)) {
        status = thumb_fail(result, SKEIN_THUMB_UNSUPPORTED, "embedded ICC profile");
        goto done;
    }
    int orientation = skein_thumb_jpeg_orientation(bytes, length);
    int swapped = orientation >= 5;
    // The thumbnail's size as displayed, then as stored.
    int shown_w, shown_h;
    skein_thumb_fit(swapped ? height : width, swapped ? width : height,
                    request->box_width, request->box_height, &shown_w, &shown_h);
    int target_w = swapped ? shown_h : shown_w, target_h = swapped ? shown_w : shown_h;

    // The smallest DCT scale that keeps at least twice the target size on both axes.
    int factors_count = 0;
    tjscalingfactor *factors = tjGetScalingFactors(&factors_count);
    int decode_w = width, decode_h = height;
    for (int i = 0; factors && i < factors_count; i++) {
        if (factors[i].num > factors[i].denom) continue;   // never enlarge while decoding
        int w = TJSCALED(width, factors[i]), h = TJSCALED(height, factors[i]);
        int enough = (w >= 2 * target_w || w == width) && (h >= 2 * target_h || h == height);
        if (enough && (int64_t)w * h < (int64_t)decode_w * decode_h) { decode_w = w; decode_h = h; }
    }
    int gray = colorspace == TJCS_GRAY;
    decoded.width = decode_w;
    decoded.height = decode_h;
    decoded.channels = gray ? 1 : 3;
    decoded.pixels = malloc((size_t)decode_w * decode_h * decoded.channels);
    if (!decoded.pixels) { status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); goto done; }
    // Warnings (a truncated file, bad data) are failures: no thumbnail of half an image.
    // LIMITSCANS refuses progressive files built to take forever.
    // Junk between markers is the exception: decoded again through the warning, with a note,
    // as long as the last warning of that decode is the same kind.
    if (tjDecompress2(decoder, bytes, (unsigned long)length, decoded.pixels, decode_w, 0, decode_h,
                      gray ? TJPF_GRAY : TJPF_RGB, TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS)) {
        char first[JMSG_LENGTH_MAX_COPY];
        snprintf(first, sizeof(first), "%s", tjGetErrorStr2(decoder));
        int benign = tjGetErrorCode(decoder) == TJERR_WARNING && is_extraneous_bytes(first);
        if (!benign ||
            (tjDecompress2(lenient, bytes, (unsigned long)length, decoded.pixels, decode_w, 0, decode_h,
                           gray ? TJPF_GRAY : TJPF_RGB, TJFLAG_LIMITSCANS) &&
             !(tjGetErrorCode(lenient) == TJERR_WARNING && is_extraneous_bytes(tjGetErrorStr2(lenient))))) {
            status = benign ? tj_failure(lenient, LENIENT_DECODER, result, "cannot decode")
                            : tj_failure(decoder, STRICT_DECODER, result, "cannot decode");
            goto done;
        }
        snprintf(note, sizeof(note), "decoded through a libjpeg warning: %s", first);
        drop_handle(STRICT_DECODER);
    }
    if (thumb_resize(&decoded, target_w, target_h, &resized)) {
        status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory");
        goto done;
    }
    thumb_image *final = &resized;
    if (orientation != 1) {
        if (thumb_orient(&resized, orientation, &oriented)) {
            status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory");
            goto done;
        }
        final = &oriented;
    }
    encoder = thread_handle(ENCODER);
    unsigned long encoded_length = 0;
    if (!encoder || tjCompress2(encoder, final->pixels, final->width, 0, final->height,
                                gray ? TJPF_GRAY : TJPF_RGB, &encoded, &encoded_length,
                                gray ? TJSAMP_GRAY : TJSAMP_420, request->jpeg_quality, 0)) {
        status = thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot encode: %s",
                            encoder ? tjGetErrorStr2(encoder) : "no encoder");
        goto done;
    }
    result->data = malloc(encoded_length);
    if (!result->data) { status = thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); goto done; }
    memcpy(result->data, encoded, encoded_length);
    result->length = encoded_length;
    result->width = final->width;
    result->height = final->height;
    snprintf(result->message, sizeof(result->message), "%s", note);

done:
    if (encoded) tjFree(encoded);
    thumb_image_free(&decoded);
    thumb_image_free(&resized);
    thumb_image_free(&oriented);
    return status;
}

skein_thumb_status thumb_encode_jpeg(const thumb_image *image, int quality, skein_thumb_result *result) {
    tjhandle encoder = thread_handle(ENCODER);
    uint8_t *encoded = NULL;
    unsigned long encoded_length = 0;
    int gray = image->channels == 1;
    if (!encoder || tjCompress2(encoder, image->pixels, image->width, 0, image->height, gray ? TJPF_GRAY : TJPF_RGB,
                                &encoded, &encoded_length, gray ? TJSAMP_GRAY : TJSAMP_420, quality, 0)) {
        if (encoded) tjFree(encoded);
        return thumb_fail(result, SKEIN_THUMB_CORRUPT, "cannot encode: %s", encoder ? tjGetErrorStr2(encoder) : "no encoder");
    }
    result->data = malloc(encoded_length);
    if (!result->data) { tjFree(encoded); return thumb_fail(result, SKEIN_THUMB_NO_MEMORY, "out of memory"); }
    memcpy(result->data, encoded, encoded_length);
    tjFree(encoded);
    result->length = encoded_length;
    result->width = image->width;
    result->height = image->height;
    return SKEIN_THUMB_OK;
}
