/* test-parse.c: the small parsers around the protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-ftp.h"

static void
test_size (void)
{
  g_test_summary ("PROTOCOL.md: parse SIZE strictly; junk or overflow means unknown");

  g_assert_cmpint (ferry_parse_size_reply ("12345"), ==, 12345);
  g_assert_cmpint (ferry_parse_size_reply (" 0 "), ==, 0);
  g_assert_cmpint (ferry_parse_size_reply ("5368709120"), ==, G_GINT64_CONSTANT (5368709120));
  g_assert_cmpint (ferry_parse_size_reply ("9223372036854775807"), ==, G_MAXINT64);
  g_assert_cmpint (ferry_parse_size_reply ("9223372036854775808"), ==, -1);
  g_assert_cmpint (ferry_parse_size_reply ("99999999999999999999"), ==, -1);
  g_assert_cmpint (ferry_parse_size_reply ("about 12 bytes"), ==, -1);
  g_assert_cmpint (ferry_parse_size_reply ("12 bytes"), ==, -1);
  g_assert_cmpint (ferry_parse_size_reply ("-5"), ==, -1);
  g_assert_cmpint (ferry_parse_size_reply (""), ==, -1);
  g_assert_cmpint (ferry_parse_size_reply (NULL), ==, -1);
}

static void
test_mdtm (void)
{
  g_autoptr(GDateTime) plain = ferry_parse_mdtm_reply ("20231125123456");
  g_autoptr(GDateTime) fraction = ferry_parse_mdtm_reply ("20231125123456.250");

  g_test_summary ("RFC 3659 §3: YYYYMMDDHHMMSS[.fff] in UTC; anything malformed is ignored");

  g_assert_nonnull (plain);
  g_assert_cmpint (g_date_time_get_year (plain), ==, 2023);
  g_assert_cmpint (g_date_time_get_month (plain), ==, 11);
  g_assert_cmpint (g_date_time_get_day_of_month (plain), ==, 25);
  g_assert_cmpint (g_date_time_get_hour (plain), ==, 12);
  g_assert_cmpint (g_date_time_get_second (plain), ==, 56);
  g_assert_cmpint (g_date_time_get_utc_offset (plain), ==, 0);
  g_assert_nonnull (fraction);
  g_assert_cmpint (g_date_time_get_microsecond (fraction), ==, 250000);

  g_assert_null (ferry_parse_mdtm_reply ("2023-11-25"));
  g_assert_null (ferry_parse_mdtm_reply ("20231399999999"));
  g_assert_null (ferry_parse_mdtm_reply ("20231125123456 extra"));
  g_assert_null (ferry_parse_mdtm_reply ("19231125"));
  g_assert_null (ferry_parse_mdtm_reply ("20231125123456."));
  g_assert_null (ferry_parse_mdtm_reply (""));
}

static void
test_pwd (void)
{
  g_autofree char *plain = ferry_parse_pwd_reply ("\"/home/ferry\" is the current directory");
  g_autofree char *quoted = ferry_parse_pwd_reply ("\"/a \"\"b\"\"\" is current");

  g_test_summary ("RFC 959 Appendix II: quoted path, doubled quotes; control characters refused");

  g_assert_cmpstr (plain, ==, "/home/ferry");
  g_assert_cmpstr (quoted, ==, "/a \"b\"");
  g_assert_null (ferry_parse_pwd_reply ("\"/a\x01" "b\""));
  g_assert_null (ferry_parse_pwd_reply ("\"/a\rb\""));
  g_assert_null (ferry_parse_pwd_reply ("no quotes"));
  g_assert_null (ferry_parse_pwd_reply ("\"unterminated"));
  g_assert_null (ferry_parse_pwd_reply ("\"\""));
}

static void
test_epsv (void)
{
  g_autoptr(GError) error = NULL;
  guint16 port = 0;

  g_test_summary ("RFC 2428: (|||port|), port 0 or over 65535 is an error");

  g_assert_true (ferry_parse_epsv_reply ("Entering Extended Passive Mode (|||6446|)", &port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (port, ==, 6446);
  g_assert_true (ferry_parse_epsv_reply ("ok (!!!65535!)", &port, &error));
  g_assert_cmpuint (port, ==, 65535);

  g_assert_false (ferry_parse_epsv_reply ("Entering (|||0|)", &port, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_clear_error (&error);
  g_assert_false (ferry_parse_epsv_reply ("Entering (|||70000|)", &port, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_clear_error (&error);
  g_assert_false (ferry_parse_epsv_reply ("Entering (|1|127.0.0.1|5000|)", &port, &error));
  g_clear_error (&error);
  g_assert_false (ferry_parse_epsv_reply ("no port here", &port, &error));
  g_clear_error (&error);
}

static void
test_pasv (void)
{
  g_autoptr(GError) error = NULL;
  guint8 address[4];
  guint16 port = 0;

  g_test_summary ("RFC 959 227: six numbers; an octet over 255 or port 0 is an error");

  g_assert_true (ferry_parse_pasv_reply ("Entering Passive Mode (127,0,0,1,4,1)", address, &port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (port, ==, 4 * 256 + 1);
  g_assert_cmpuint (address[0], ==, 127);
  g_assert_cmpuint (address[3], ==, 1);

  /* Some servers leave out the parentheses. */
  g_assert_true (ferry_parse_pasv_reply ("=10,99,99,99,200,7", address, &port, &error));
  g_assert_cmpuint (port, ==, 200 * 256 + 7);

  g_assert_false (ferry_parse_pasv_reply ("Entering Passive Mode (127,0,0,300,4,1)", address, &port, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_clear_error (&error);
  g_assert_false (ferry_parse_pasv_reply ("(127,0,0,1,256,1)", address, &port, &error));
  g_clear_error (&error);
  g_assert_false (ferry_parse_pasv_reply ("(127,0,0,1,0,0)", address, &port, &error));
  g_clear_error (&error);
  g_assert_false (ferry_parse_pasv_reply ("(127,0,0,1,4)", address, &port, &error));
  g_clear_error (&error);
}

static void
test_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FerrySite) site = NULL;
  g_autoptr(FerrySite) v6 = NULL;
  g_autoptr(FerrySite) anon = NULL;
  g_autoptr(FerrySite) bare = NULL;
  g_autofree char *path = NULL;
  g_autofree char *path6 = NULL;
  g_autofree char *anon_path = NULL;
  g_autofree char *bare_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *url_abs = NULL;
  g_autofree char *name = NULL;

  g_test_summary ("ftp://user@host:port/path URLs; the path is relative to the login folder");

  site = ferry_site_new_from_url ("ftp://alice:s%40cret@ftp.example.org:2121/pub/a%20b.txt", &path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_site_get_host (site), ==, "ftp.example.org");
  g_assert_cmpuint (ferry_site_get_port (site), ==, 2121);
  g_assert_cmpstr (ferry_site_get_user (site), ==, "alice");
  g_assert_cmpstr (ferry_site_get_password (site), ==, "s@cret");
  g_assert_cmpstr (path, ==, "pub/a b.txt");
  g_assert_false (ferry_site_is_anonymous (site));

  url = ferry_site_to_url (site, path);
  g_assert_cmpstr (url, ==, "ftp://alice@ftp.example.org:2121/pub/a%20b.txt");
  url_abs = ferry_site_to_url (site, "/etc/motd");
  g_assert_cmpstr (url_abs, ==, "ftp://alice@ftp.example.org:2121/%2Fetc/motd");
  name = ferry_site_get_display_name (site);
  g_assert_cmpstr (name, ==, "alice@ftp.example.org:2121");

  v6 = ferry_site_new_from_url ("ftp://[::1]:21/%2Fabs", &path6, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ferry_site_get_host (v6), ==, "::1");
  g_assert_cmpstr (path6, ==, "/abs");

  anon = ferry_site_new_from_url ("ftp://127.0.0.1/", &anon_path, &error);
  g_assert_no_error (error);
  g_assert_true (ferry_site_is_anonymous (anon));
  g_assert_cmpuint (ferry_site_get_port (anon), ==, 21);
  g_assert_cmpstr (anon_path, ==, "");

  bare = ferry_site_new_from_url ("example.org/dir", &bare_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (bare_path, ==, "dir");

  g_assert_null (ferry_site_new_from_url ("https://example.org/", NULL, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_null (ferry_site_new_from_url ("ftp://host:99999/", NULL, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_null (ferry_site_new_from_url ("ftp:///nohost", NULL, &error));
  g_clear_error (&error);
}

static void
test_paths (void)
{
  g_autofree char *a = ferry_remote_path_join ("/pub", "x");
  g_autofree char *b = ferry_remote_path_join ("/", "x");
  g_autofree char *c = ferry_remote_path_join ("", "x");
  g_autofree char *d = ferry_remote_path_parent ("/pub/x");
  g_autofree char *e = ferry_remote_path_parent ("/pub/");
  g_autofree char *f = ferry_remote_path_parent ("x");

  g_test_summary ("Remote path helpers join with one slash and find parents");

  g_assert_cmpstr (a, ==, "/pub/x");
  g_assert_cmpstr (b, ==, "/x");
  g_assert_cmpstr (c, ==, "x");
  g_assert_cmpstr (d, ==, "/pub");
  g_assert_cmpstr (e, ==, "/");
  g_assert_cmpstr (f, ==, "");
  g_assert_cmpstr (ferry_remote_path_basename ("/pub/x.iso"), ==, "x.iso");
  g_assert_cmpstr (ferry_remote_path_basename ("x.iso"), ==, "x.iso");
}

static void
test_command_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ok = ferry_control_build_command ("RETR", "a b.txt", &error);

  g_test_summary ("PROTOCOL.md: a CR or LF in an argument is refused before sending");

  g_assert_no_error (error);
  g_assert_cmpstr (ok, ==, "RETR a b.txt");
  g_assert_null (ferry_control_build_command ("RETR", "a\r\nDELE b", &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_COMMAND);
  g_clear_error (&error);
  g_assert_null (ferry_control_build_command ("RETR", "a\nb", &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_COMMAND);
}

static void
test_transient (void)
{
  g_autoptr(FerryReply) r426 = ferry_reply_new (426, (const char *[]) { "426 Aborted", NULL });
  g_autoptr(FerryReply) r451 = ferry_reply_new (451, (const char *[]) { "451 Local error", NULL });
  g_autoptr(FerryReply) r421 = ferry_reply_new (421, (const char *[]) { "421 Bye", NULL });
  g_autoptr(FerryReply) r530 = ferry_reply_new (530, (const char *[]) { "530 No", NULL });
  g_autoptr(FerryReply) r550 = ferry_reply_new (550, (const char *[]) { "550 Missing", NULL });
  g_autoptr(FerryReply) r552 = ferry_reply_new (552, (const char *[]) { "552 Full", NULL });
  g_autoptr(FerryReply) r452 = ferry_reply_new (452, (const char *[]) { "452 Full", NULL });
  g_autoptr(GError) e426 = ferry_ftp_error_from_reply (r426, NULL);
  g_autoptr(GError) e451 = ferry_ftp_error_from_reply (r451, NULL);
  g_autoptr(GError) e421 = ferry_ftp_error_from_reply (r421, NULL);
  g_autoptr(GError) e530 = ferry_ftp_error_from_reply (r530, "cannot log in to h:21");
  g_autoptr(GError) e550 = ferry_ftp_error_from_reply (r550, NULL);
  g_autoptr(GError) e552 = ferry_ftp_error_from_reply (r552, NULL);
  g_autoptr(GError) e452 = ferry_ftp_error_from_reply (r452, NULL);
  g_autoptr(GError) timeout = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "t");
  g_autoptr(GError) cancel = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");

  g_test_summary ("PROTOCOL.md: 4yz and lost connections are retried; 530, 550, 552/452 and a cancel never");

  g_assert_true (ferry_ftp_error_is_transient (e426));
  g_assert_true (ferry_ftp_error_is_transient (e451));
  g_assert_true (ferry_ftp_error_is_transient (e421));
  g_assert_true (ferry_ftp_error_is_transient (timeout));
  g_assert_false (ferry_ftp_error_is_transient (e530));
  g_assert_false (ferry_ftp_error_is_transient (e550));
  g_assert_false (ferry_ftp_error_is_transient (e552));
  g_assert_false (ferry_ftp_error_is_transient (e452));
  g_assert_false (ferry_ftp_error_is_transient (cancel));
  g_assert_error (e530, FERRY_FTP_ERROR, FERRY_FTP_ERROR_LOGIN_DENIED);
  g_assert_cmpstr (e530->message, ==, "cannot log in to h:21: 530 No");
  g_assert_error (e552, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NO_SPACE);
}

static void
test_sanitize (void)
{
  g_autofree char *a = ferry_ftp_sanitize_text ("ok\x1b[31mred\x07", -1);
  g_autofree char *b = ferry_ftp_sanitize_text ("  \xff\xfe bad utf8 ", -1);

  g_test_summary ("Server text shown to people has no control characters and is valid UTF-8");

  g_assert_cmpstr (a, ==, "ok [31mred");
  g_assert_true (g_utf8_validate (b, -1, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ftp/parse/size", test_size);
  g_test_add_func ("/ftp/parse/mdtm", test_mdtm);
  g_test_add_func ("/ftp/parse/pwd", test_pwd);
  g_test_add_func ("/ftp/parse/epsv", test_epsv);
  g_test_add_func ("/ftp/parse/pasv", test_pasv);
  g_test_add_func ("/ftp/parse/url", test_url);
  g_test_add_func ("/ftp/parse/paths", test_paths);
  g_test_add_func ("/ftp/parse/command-refused", test_command_refused);
  g_test_add_func ("/ftp/parse/transient", test_transient);
  g_test_add_func ("/ftp/parse/sanitize", test_sanitize);

  return g_test_run ();
}
