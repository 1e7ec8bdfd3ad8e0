#define _GNU_SOURCE /* memmem */
/* serve --tls: the certificate and key checked before anything starts.
 *
 * libmicrohttpd hands the PEM texts to GnuTLS only when the daemon starts,
 * and a bad pair then shows as a failed start with whatever errno was left
 * over. The same GnuTLS reads them here first, so the message can say which
 * file holds what: a key where the certificate belongs (the two swapped),
 * a certificate twice, a key of another certificate, an encrypted key, a
 * file that is not PEM. */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "common/i18n.h"
#include "serve/serve_int.h"
#include "webdoctor/serve.h"

static gnutls_datum_t datum(const char *pem, size_t len) {
  gnutls_datum_t d = {(unsigned char *)(uintptr_t)pem, (unsigned)len};
  return d;
}

static bool is_pem(const char *pem, size_t len) { return memmem(pem, len, "-----BEGIN ", 11) != NULL; }

static bool holds_certificate(const char *pem, size_t len) {
  gnutls_x509_crt_t crt;
  if (gnutls_x509_crt_init(&crt) < 0) return false;
  gnutls_datum_t d = datum(pem, len);
  bool ok = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM) >= 0;
  gnutls_x509_crt_deinit(crt);
  return ok;
}

typedef enum key_kind { KEY_NONE, KEY_PLAIN, KEY_ENCRYPTED } key_kind;

static key_kind holds_key(const char *pem, size_t len) {
  /* PKCS#8 "ENCRYPTED PRIVATE KEY" and the older OpenSSL "Proc-Type:
   * 4,ENCRYPTED" header: libmicrohttpd is given no passphrase */
  if (memmem(pem, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) || memmem(pem, len, "Proc-Type: 4,ENCRYPTED", 22))
    return KEY_ENCRYPTED;
  gnutls_x509_privkey_t key;
  if (gnutls_x509_privkey_init(&key) < 0) return KEY_NONE;
  gnutls_datum_t d = datum(pem, len);
  int r = gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM, NULL, 0);
  gnutls_x509_privkey_deinit(key);
  if (r >= 0) return KEY_PLAIN;
  return r == GNUTLS_E_DECRYPTION_FAILED ? KEY_ENCRYPTED : KEY_NONE;
}

wd_status wd_serve_tls_check(const char *cert_pem, size_t cert_len, const char *cert_path, const char *key_pem,
                             size_t key_len, const char *key_path, wd_error *err) {
  wd_status ls = wdi_serve_gnutls_load(err);
  if (ls) return ls;
  if (!is_pem(cert_pem, cert_len))
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("the certificate '%s' is not a PEM file (text that starts with "
                          "-----BEGIN CERTIFICATE-----; openssl x509 -in FILE -out FILE.pem converts one)"),
                        cert_path);
  if (!is_pem(key_pem, key_len))
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("the key '%s' is not a PEM file (text that starts with -----BEGIN PRIVATE KEY-----; "
                          "openssl pkey -in FILE -out FILE.pem converts one)"),
                        key_path);
  bool cert_ok = holds_certificate(cert_pem, cert_len);
  key_kind key = holds_key(key_pem, key_len);
  if (!cert_ok) {
    if (holds_key(cert_pem, cert_len) != KEY_NONE) {
      if (key == KEY_NONE && holds_certificate(key_pem, key_len))
        return wd_error_set(err, WD_ERR_USAGE,
                            N_("'%s' holds a private key and '%s' a certificate: give the certificate first, then "
                              "the key (--tls %s %s)"),
                            cert_path, key_path, key_path, cert_path);
      return wd_error_set(err, WD_ERR_USAGE,
                          N_("'%s' holds a private key, not a certificate: give the certificate first, then the key"),
                          cert_path);
    }
    return wd_error_set(err, WD_ERR_USAGE, N_("the certificate '%s' holds no certificate GnuTLS can read"), cert_path);
  }
  if (key == KEY_NONE) {
    if (holds_certificate(key_pem, key_len))
      return wd_error_set(err, WD_ERR_USAGE,
                          N_("'%s' holds a certificate, not a private key: give the certificate first, then the key"),
                          key_path);
    return wd_error_set(err, WD_ERR_USAGE, N_("the key '%s' holds no private key GnuTLS can read"), key_path);
  }
  if (key == KEY_ENCRYPTED)
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("the key '%s' is encrypted: give it without a passphrase (openssl pkey -in FILE -out "
                          "PLAIN.pem writes one)"),
                        key_path);
  /* what libmicrohttpd will do with them: GnuTLS also compares the
   * certificate's public key with the private key here */
  gnutls_certificate_credentials_t cred;
  if (gnutls_certificate_allocate_credentials(&cred) < 0)
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  gnutls_datum_t c = datum(cert_pem, cert_len), k = datum(key_pem, key_len);
  int r = gnutls_certificate_set_x509_key_mem2(cred, &c, &k, GNUTLS_X509_FMT_PEM, NULL, 0);
  gnutls_certificate_free_credentials(cred);
  if (r == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("the key '%s' does not belong to the certificate '%s': give the key made with that "
                          "certificate"),
                        key_path, cert_path);
  if (r < 0)
    return wd_error_set(err, WD_ERR_USAGE, N_("GnuTLS refuses the certificate '%s' with the key '%s': %s"), cert_path,
                        key_path, gnutls_strerror(r));
  return WD_OK;
}
