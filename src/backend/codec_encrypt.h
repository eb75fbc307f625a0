/*
 * codec_encrypt.h: optional encryption of state at rest (OpenTofu has it,
 * Terraform does not): AES-256-GCM with a key derived from a passphrase by
 * PBKDF2-HMAC-SHA256, via mbedTLS. Plugs into any backend as a
 * cp_state_codec, so local and S3 state are encrypted the same way.
 *
 * Format: "CPSTATE-AES256GCM-1\n" magic, then 16 bytes salt, 12 bytes IV,
 * the ciphertext and the 16-byte GCM tag. A wrong passphrase or a damaged
 * file fails authentication and gives a clear error, never garbage. An
 * unencrypted state is still read (so a team can turn encryption on); the
 * next write encrypts it.
 */
#ifndef CP_BACKEND_CODEC_ENCRYPT_H
#define CP_BACKEND_CODEC_ENCRYPT_H

#include "backend/backend.h"

#define CP_ENCRYPT_MAGIC     "CPSTATE-AES256GCM-1\n"
#define CP_PBKDF2_ITERATIONS 210000

/* A codec for passphrase (copied). Returns 0, or -1 and *err. */
int cp_codec_encrypt_new(const char *passphrase, cp_state_codec *out, char **err);
/* True when data starts with the encrypted-state magic. */
bool cp_state_is_encrypted(const char *data, size_t len);

#endif
