// Mutation fuzzing of Skein's direct thumbnail paths (Sources/CThumbs), built with
// AddressSanitizer and UndefinedBehaviorSanitizer by scripts/fuzz.sh.
//
// Each iteration takes a seed image, flips bits, overwrites bytes, truncates or scrambles its
// header, repairs the PNG chunk CRCs three times in four (so mutations reach the decoder rather
// than stop at the checksum), and thumbnails it. Any crash or sanitizer report is a bug; every
// outcome must be a status. Usage: fuzz_thumbs SEED_FOLDER ITERATIONS [RANDOM_SEED]
#include "internal.h"
#include <dirent.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef skein_thumb_status (*thumbnailer)(const uint8_t *, size_t, const skein_thumb_request *, skein_thumb_result *);

static uint32_t be32(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void fix_png_crcs(uint8_t *bytes, long length) {
    long at = 8;
    while (at + 12 <= length) {
        uint32_t size = be32(bytes + at);
        if (size > (uint32_t)(length - at - 12)) break;
        uint32_t crc = libdeflate_crc32(0, bytes + at + 4, size + 4);
        bytes[at + 8 + size] = (uint8_t)(crc >> 24);
        bytes[at + 9 + size] = (uint8_t)(crc >> 16);
        bytes[at + 10 + size] = (uint8_t)(crc >> 8);
        bytes[at + 11 + size] = (uint8_t)crc;
        at += 12 + (long)size;
    }
}

static thumbnailer for_name(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot) return NULL;
    if (!strcmp(dot, ".jpg") || !strcmp(dot, ".jpeg")) return skein_thumb_jpeg;
    if (!strcmp(dot, ".png")) return skein_thumb_png;
    if (!strcmp(dot, ".gif")) return skein_thumb_gif;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s SEED_FOLDER ITERATIONS [RANDOM_SEED]\n", argv[0]); return 2; }
    int iterations = atoi(argv[2]);
    srand(argc > 3 ? (unsigned)atoi(argv[3]) : 1);
    DIR *folder = opendir(argv[1]);
    if (!folder) { perror(argv[1]); return 2; }
    static char names[4096][512];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(folder)) && count < 4096) {
        if (entry->d_name[0] != '.' && for_name(entry->d_name))
            snprintf(names[count++], sizeof(names[0]), "%s/%s", argv[1], entry->d_name);
    }
    closedir(folder);
    if (count == 0) { fprintf(stderr, "no .jpg, .png or .gif in %s\n", argv[1]); return 2; }

    skein_thumb_request request = {64, 64, 20000000, 85};
    long outcomes[5] = {0};
    for (int i = 0; i < iterations; i++) {
        const char *path = names[rand() % count];
        FILE *file = fopen(path, "rb");
        if (!file) continue;
        fseek(file, 0, SEEK_END);
        long length = ftell(file);
        fseek(file, 0, SEEK_SET);
        uint8_t *bytes = malloc((size_t)length + 1);
        if (fread(bytes, 1, (size_t)length, file) != (size_t)length) length = 0;
        fclose(file);
        int mutations = 1 + rand() % 3;
        for (int m = 0; m < mutations && length > 0; m++) {
            long at = rand() % length;
            switch (rand() % 4) {
            case 0: bytes[at] ^= (uint8_t)(1 << (rand() % 8)); break;
            case 1: bytes[at] = (uint8_t)rand(); if (at + 1 < length) bytes[at + 1] = 0xFF; break;
            case 2: length = at; break;
            default: bytes[rand() % (length < 200 ? length : 200)] = (uint8_t)rand(); break;
            }
        }
        if (for_name(path) == skein_thumb_png && rand() % 4) fix_png_crcs(bytes, length);
        skein_thumb_result result;
        skein_thumb_status status = for_name(path)(bytes, (size_t)length, &request, &result);
        if (status < 0 || status > SKEIN_THUMB_NO_MEMORY) { fprintf(stderr, "unknown status %d\n", status); return 1; }
        outcomes[status]++;
        if (status == SKEIN_THUMB_OK) skein_thumb_free(result.data);
        free(bytes);
    }
    printf("%d iterations over %d seeds: %ld made, %ld corrupt, %ld handed to libvips, %ld over the pixel limit, %ld out of memory\n",
           iterations, count, outcomes[SKEIN_THUMB_OK], outcomes[SKEIN_THUMB_CORRUPT], outcomes[SKEIN_THUMB_UNSUPPORTED],
           outcomes[SKEIN_THUMB_TOO_MANY_PIXELS], outcomes[SKEIN_THUMB_NO_MEMORY]);
    return 0;
}
