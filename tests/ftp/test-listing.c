/* test-listing.c: directory listing parsers and FerryRemoteFile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lines are written by hand after what each server prints.
 */

#include "config.h"

#include "ferry-ftp-enums.h"
#include "ferry-listing.h"

#include <string.h>

/* A fixed "now" so that dates without a year give the same answer on any day. */
static GDateTime *
fixed_now (int year,
           int month,
           int day)
{
  return g_date_time_new_utc (year, month, day, 12, 0, 0);
}

static FerryRemoteFile *
parse_entry_len (FerryListingFormat  format,
                 const char         *line,
                 gsize               len,
                 GDateTime          *now)
{
  FerryRemoteFile *file = NULL;
  FerryListingLine result;

  result = ferry_listing_parse_line (format, line, len, now, &file);
  g_assert_cmpint (result, ==, FERRY_LISTING_LINE_ENTRY);
  g_assert_nonnull (file);

  return file;
}

static FerryRemoteFile *
parse_entry (FerryListingFormat  format,
             const char         *line,
             GDateTime          *now)
{
  return parse_entry_len (format, line, strlen (line), now);
}

static void
assert_line_len (FerryListingFormat  format,
                 const char         *line,
                 gsize               len,
                 FerryListingLine    expected)
{
  g_autoptr(GDateTime) now = fixed_now (2024, 3, 1);
  FerryRemoteFile *file = NULL;
  FerryListingLine result;

  result = ferry_listing_parse_line (format, line, len, now, &file);
  g_assert_cmpint (result, ==, expected);
  g_assert_null (file);
}

static void
assert_line (FerryListingFormat  format,
             const char         *line,
             FerryListingLine    expected)
{
  assert_line_len (format, line, strlen (line), expected);
}

/* Compares the modification time with an ISO 8601 string in UTC, or NULL. */
static void
assert_modified (FerryRemoteFile *file,
                 const char      *expected)
{
  GDateTime *modified = ferry_remote_file_get_modified (file);
  g_autofree char *formatted = NULL;

  if (modified != NULL)
    {
      g_assert_cmpint (g_date_time_get_utc_offset (modified), ==, 0);
      formatted = g_date_time_format_iso8601 (modified);
    }

  g_assert_cmpstr (formatted, ==, expected);
}

static void
test_unix_vsftpd (void)
{
  g_autoptr(GDateTime) now = fixed_now (2024, 3, 1);
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(FerryRemoteFile) dir = NULL;

  g_test_summary ("LIST from vsftpd: numeric owners, wide columns, a date without a year");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rw-r--r--    1 0        0            1024 Nov 25 12:34 a.txt", now);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "a.txt");
  g_assert_cmpint (ferry_remote_file_get_file_type (file), ==, FERRY_FILE_TYPE_FILE);
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 1024);
  g_assert_cmpstr (ferry_remote_file_get_permissions (file), ==, "rw-r--r--");
  g_assert_cmpuint (ferry_remote_file_get_mode (file), ==, 0644);
  g_assert_null (ferry_remote_file_get_link_target (file));
  assert_modified (file, "2023-11-25T12:34:00Z");

  dir = parse_entry (FERRY_LISTING_FORMAT_LIST,
                     "drwxr-xr-x    2 1000     1000         4096 Jan 03 09:15 docs", now);
  g_assert_cmpstr (ferry_remote_file_get_name (dir), ==, "docs");
  g_assert_true (ferry_remote_file_is_directory (dir));
  g_assert_cmpuint (ferry_remote_file_get_mode (dir), ==, 0755);
  assert_modified (dir, "2024-01-03T09:15:00Z");
}

static void
test_unix_pure_ftpd (void)
{
  g_autoptr(GDateTime) now = fixed_now (2024, 3, 1);
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("LIST from pure-ftpd: numeric owners padded to wide columns");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rw-r--r--    1 1000       1000             42 Nov 25 12:34 a.txt", now);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "a.txt");
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 42);
  assert_modified (file, "2023-11-25T12:34:00Z");
}

static void
test_unix_proftpd (void)
{
  g_autoptr(GDateTime) now = fixed_now (2024, 3, 1);
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(FerryRemoteFile) dir = NULL;

  g_test_summary ("LIST from ProFTPD: owner names, day padded with a space");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rw-r--r--   1 ftpuser  ftpgroup   123456 Feb  5 09:07 report 2024.pdf",
                      now);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "report 2024.pdf");
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 123456);
  assert_modified (file, "2024-02-05T09:07:00Z");

  dir = parse_entry (FERRY_LISTING_FORMAT_LIST,
                     "drwxrwsr-x   3 ftpuser  ftpgroup     4096 Dec 24  2019 archive", now);
  g_assert_true (ferry_remote_file_is_directory (dir));
  g_assert_cmpstr (ferry_remote_file_get_permissions (dir), ==, "rwxrwsr-x");
  g_assert_cmpuint (ferry_remote_file_get_mode (dir), ==, 02775);
  assert_modified (dir, "2019-12-24T00:00:00Z");
}

static void
test_unix_filezilla_server (void)
{
  g_autoptr(GDateTime) now = fixed_now (2024, 3, 1);
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("LIST from FileZilla Server: Unix format with ftp/ftp owners");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rw-r--r-- 1 ftp ftp           1024 Nov 25 12:34 file", now);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "file");
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 1024);
}

static void
test_unix_year (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("PROTOCOL.md Resume: sizes are 64-bit (files > 4 GiB); a date with a "
                  "year has no time");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rw-r--r-- 1 0 0 5368709120 Jan  3  2024 big.iso", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "big.iso");
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, G_GINT64_CONSTANT (5368709120));
  assert_modified (file, "2024-01-03T00:00:00Z");
}

static void
test_unix_year_inference (void)
{
  static const struct {
    int now[3];
    const char *date;
    const char *expected;
  } cases[] = {
    /* Within a day after now: clock skew, still this year. */
    { { 2024, 1, 10 }, "Jan 11 10:00", "2024-01-11T10:00:00Z" },
    { { 2024, 1, 10 }, "Jan 10 12:00", "2024-01-10T12:00:00Z" },
    /* Further in the future: last year. */
    { { 2024, 1, 10 }, "Jan 12 10:00", "2023-01-12T10:00:00Z" },
    { { 2024, 1, 10 }, "Dec 31 23:59", "2023-12-31T23:59:00Z" },
    { { 2024, 7, 1 }, "Jun 30 08:00", "2024-06-30T08:00:00Z" },
    /* 29 February: this year if it has one, else the last leap year. */
    { { 2024, 3, 1 }, "Feb 29 10:00", "2024-02-29T10:00:00Z" },
    { { 2025, 1, 10 }, "Feb 29 10:00", "2024-02-29T10:00:00Z" },
  };

  g_test_summary ("ls shows a time instead of the year for recent files: the year is the "
                  "one that puts the date no more than a day after now");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) now = fixed_now (cases[i].now[0], cases[i].now[1], cases[i].now[2]);
      g_autofree char *line = g_strdup_printf ("-rw-r--r-- 1 u g 5 %s f", cases[i].date);
      g_autoptr(FerryRemoteFile) file = parse_entry (FERRY_LISTING_FORMAT_LIST, line, now);

      assert_modified (file, cases[i].expected);
    }
}

static void
test_unix_no_group (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("LIST: some servers leave out the group column");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST, "-rw-r--r-- 1 owner 1234 Jan 1 2020 f", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "f");
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 1234);
  assert_modified (file, "2020-01-01T00:00:00Z");
}

static void
test_unix_acl_marks (void)
{
  g_autoptr(FerryRemoteFile) acl = NULL;
  g_autoptr(FerryRemoteFile) xattr = NULL;
  g_autoptr(FerryRemoteFile) selinux = NULL;

  g_test_summary ("LIST: a mode followed by '+' (ACL), '@' (macOS) or '.' (SELinux)");

  acl = parse_entry (FERRY_LISTING_FORMAT_LIST, "-rw-r--r--+ 1 u g 5 Jan 1 2020 acl", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (acl), ==, "acl");
  g_assert_cmpstr (ferry_remote_file_get_permissions (acl), ==, "rw-r--r--");

  xattr = parse_entry (FERRY_LISTING_FORMAT_LIST, "drwxr-xr-x@ 4 u staff 128 Jan 1 2020 mac", NULL);
  g_assert_true (ferry_remote_file_is_directory (xattr));

  selinux = parse_entry (FERRY_LISTING_FORMAT_LIST, "-rw-r--r--. 1 u g 5 Jan 1 2020 se", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (selinux), ==, "se");

  assert_line (FERRY_LISTING_FORMAT_LIST, "-rw-r--r--x 1 u g 5 Jan 1 2020 bad",
               FERRY_LISTING_LINE_INVALID);
}

static void
test_unix_symlink (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("LIST: \"link -> target\" gives the name and the target");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "lrwxrwxrwx 1 u g 7 Jan 1 2020 link -> target", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "link");
  g_assert_cmpint (ferry_remote_file_get_file_type (file), ==, FERRY_FILE_TYPE_SYMLINK);
  g_assert_cmpstr (ferry_remote_file_get_link_target (file), ==, "target");
  g_assert_cmpstr (ferry_remote_file_get_icon_name (file), ==, "emblem-symbolic-link");
  g_assert_false (ferry_remote_file_is_directory (file));
}

static void
test_unix_symlink_escaping_target (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("PROTOCOL.md Hostile servers: a symlink's target may point anywhere; it is "
                  "recorded for display, only the link's name must be safe");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "lrwxrwxrwx 1 u g 9 Jan 1 2020 my etc -> ../../etc", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "my etc");
  g_assert_cmpstr (ferry_remote_file_get_link_target (file), ==, "../../etc");

  assert_line (FERRY_LISTING_FORMAT_LIST, "lrwxrwxrwx 1 u g 9 Jan 1 2020 ../up -> /etc",
               FERRY_LISTING_LINE_UNSAFE);
}

static void
test_unix_device (void)
{
  g_autoptr(FerryRemoteFile) chr = NULL;
  g_autoptr(FerryRemoteFile) blk = NULL;

  g_test_summary ("LIST: device files show \"major, minor\" instead of a size");

  chr = parse_entry (FERRY_LISTING_FORMAT_LIST,
                     "crw-rw-rw- 1 root root 1, 3 Jan 1 2020 null", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (chr), ==, "null");
  g_assert_cmpint (ferry_remote_file_get_file_type (chr), ==, FERRY_FILE_TYPE_SPECIAL);
  g_assert_cmpint (ferry_remote_file_get_size (chr), ==, -1);
  g_assert_cmpstr (ferry_remote_file_get_icon_name (chr), ==, "text-x-generic");

  blk = parse_entry (FERRY_LISTING_FORMAT_LIST,
                     "brw-rw----   1 root  disk    8,   0 Mar  1 09:00 sda", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (blk), ==, "sda");
  g_assert_cmpint (ferry_remote_file_get_file_type (blk), ==, FERRY_FILE_TYPE_SPECIAL);
  g_assert_cmpint (ferry_remote_file_get_size (blk), ==, -1);
}

static void
test_unix_fifo_socket (void)
{
  g_autoptr(FerryRemoteFile) fifo = NULL;
  g_autoptr(FerryRemoteFile) sock = NULL;

  g_test_summary ("LIST: FIFOs ('p') and sockets ('s') are special files");

  fifo = parse_entry (FERRY_LISTING_FORMAT_LIST, "prw-r--r-- 1 u g 0 Jan 1 2020 pipe", NULL);
  g_assert_cmpint (ferry_remote_file_get_file_type (fifo), ==, FERRY_FILE_TYPE_SPECIAL);
  g_assert_cmpint (ferry_remote_file_get_size (fifo), ==, 0);

  sock = parse_entry (FERRY_LISTING_FORMAT_LIST, "srwxrwxrwx 1 u g 0 Jan 1 2020 sock", NULL);
  g_assert_cmpint (ferry_remote_file_get_file_type (sock), ==, FERRY_FILE_TYPE_SPECIAL);

  assert_line (FERRY_LISTING_FORMAT_LIST, "?rw-r--r-- 1 u g 0 Jan 1 2020 what",
               FERRY_LISTING_LINE_INVALID);
}

static void
test_unix_spaces (void)
{
  g_autoptr(FerryRemoteFile) inner = NULL;
  g_autoptr(FerryRemoteFile) leading = NULL;
  g_autoptr(FerryRemoteFile) trailing = NULL;

  g_test_summary ("LIST: the name starts one space after the date, so names keep inner, "
                  "leading and trailing spaces");

  inner = parse_entry (FERRY_LISTING_FORMAT_LIST,
                       "-rw-r--r-- 1 u g 5 Jan 1 2020 my  file.txt", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (inner), ==, "my  file.txt");

  leading = parse_entry (FERRY_LISTING_FORMAT_LIST,
                         "-rw-r--r-- 1 u g 5 Jan 1 2020  two spaces", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (leading), ==, " two spaces");

  trailing = parse_entry (FERRY_LISTING_FORMAT_LIST, "-rw-r--r-- 1 u g 5 Nov 25 12:34 end ", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (trailing), ==, "end ");
}

static void
test_unix_owner_with_spaces (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("LIST: Windows servers in Unix mode may show a group with a space in it");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rwxrwxrwx 1 owner Domain Users 77 Jan 1 2020 Jan 1 2020 notes", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "Jan 1 2020 notes");
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 77);
}

static void
test_unix_mode_bits (void)
{
  static const struct {
    const char *mode;
    guint bits;
  } cases[] = {
    { "-rwsr-sr-t", 07755 },
    { "-rwSr-Sr-T", 07644 },
    { "----------", 0 },
    { "-rwxrwxrwx", 0777 },
    { "-r-x--x--x", 0511 },
  };

  g_test_summary ("LIST: the mode is computed from the nine rwx characters, s/S/t/T included");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup_printf ("%s 1 u g 5 Jan 1 2020 f", cases[i].mode);
      g_autoptr(FerryRemoteFile) file = parse_entry (FERRY_LISTING_FORMAT_LIST, line, NULL);

      g_assert_cmpuint (ferry_remote_file_get_mode (file), ==, cases[i].bits);
      g_assert_cmpstr (ferry_remote_file_get_permissions (file), ==, cases[i].mode + 1);
    }

  assert_line (FERRY_LISTING_FORMAT_LIST, "-rwqr--r-- 1 u g 5 Jan 1 2020 f",
               FERRY_LISTING_LINE_INVALID);
}

static void
test_unix_iso_date (void)
{
  g_autoptr(FerryRemoteFile) long_iso = NULL;
  g_autoptr(FerryRemoteFile) full_iso = NULL;
  g_autoptr(FerryRemoteFile) bsd = NULL;

  g_test_summary ("LIST: ls --time-style=long-iso and full-iso dates, and BSD ls -T dates");

  long_iso = parse_entry (FERRY_LISTING_FORMAT_LIST,
                          "-rw-r--r-- 1 u g 5 2023-11-25 12:34 iso.txt", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (long_iso), ==, "iso.txt");
  assert_modified (long_iso, "2023-11-25T12:34:00Z");

  full_iso = parse_entry (FERRY_LISTING_FORMAT_LIST,
                          "-rw-r--r-- 1 u g 5 2023-11-25 12:34:56.250000000 +0100 full.txt", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (full_iso), ==, "full.txt");
  assert_modified (full_iso, "2023-11-25T11:34:56.250000Z");

  bsd = parse_entry (FERRY_LISTING_FORMAT_LIST,
                     "-rw-r--r-- 1 u g 5 Nov 25 12:34:56 2023 bsd.txt", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (bsd), ==, "bsd.txt");
  assert_modified (bsd, "2023-11-25T12:34:56Z");
}

static void
test_unix_total (void)
{
  g_test_summary ("LIST: the \"total\" line is skipped");

  assert_line (FERRY_LISTING_FORMAT_LIST, "total 123", FERRY_LISTING_LINE_SKIP);
  assert_line (FERRY_LISTING_FORMAT_LIST, "total 0", FERRY_LISTING_LINE_SKIP);
  assert_line (FERRY_LISTING_FORMAT_LIST, "total 0\r", FERRY_LISTING_LINE_SKIP);
  assert_line (FERRY_LISTING_FORMAT_LIST, "", FERRY_LISTING_LINE_SKIP);
}

static void
test_unix_dot (void)
{
  g_test_summary ("PROTOCOL.md: listings skip \".\" and \"..\" (gvfs does the same)");

  assert_line (FERRY_LISTING_FORMAT_LIST, "drwxr-xr-x 2 u g 4096 Nov 25 12:34 .",
               FERRY_LISTING_LINE_SKIP);
  assert_line (FERRY_LISTING_FORMAT_LIST, "drwxr-xr-x 9 u g 4096 Nov 25 12:34 ..",
               FERRY_LISTING_LINE_SKIP);
}

static void
test_unix_unsafe (void)
{
  static const char * const names[] = {
    "../x",
    "a/b",
    "/etc/passwd",
    "a\\b",
    "..\\..\\boot.ini",
    "\x1b[31mred",
    "a\rb",
    "bell\x07",
    "del\x7f",
    "c1\xc2\x9b" "31m",
    "latin1 \xe9t\xe9",
  };

  g_test_summary ("PROTOCOL.md Hostile servers: names with '/', '..', '\\', control "
                  "characters or invalid UTF-8 are never used (wget CVE-2014-4877)");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *line = g_strdup_printf ("-rw-r--r-- 1 u g 5 Jan 1 2020 %s", names[i]);

      assert_line (FERRY_LISTING_FORMAT_LIST, line, FERRY_LISTING_LINE_UNSAFE);
    }
}

static void
test_unix_nul (void)
{
  static const char line[] = "-rw-r--r-- 1 u g 5 Jan 1 2020 evil\0.txt";

  g_test_summary ("PROTOCOL.md Hostile servers: a NUL in a name makes it unsafe");

  assert_line_len (FERRY_LISTING_FORMAT_LIST, line, sizeof line - 1, FERRY_LISTING_LINE_UNSAFE);
}

static void
test_unix_cr_in_name (void)
{
  static const char line[] = "-rw-r--r-- 1 u g 5 Jan 1 2020 name\r\r";
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("Only one trailing CR is a line end; a second one belongs to the name, "
                  "which is then unsafe");

  assert_line (FERRY_LISTING_FORMAT_LIST, line, FERRY_LISTING_LINE_UNSAFE);

  file = parse_entry (FERRY_LISTING_FORMAT_LIST, "-rw-r--r-- 1 u g 5 Jan 1 2020 name\r", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "name");
}

static void
test_unix_invalid (void)
{
  static const char * const lines[] = {
    "hello world",
    "550 No files found",
    "-rw-r--r-- 1 u g notasize Jan 1 2020 x",
    "drwxr-xr-x 2 u g 4096 Foo 25 12:34 x",
    "drwxr-xr-x 2 u g 4096 Nov 32 12:34 x",
    "drwxr-xr-x 2 u g 4096 Nov 25 25:34 x",
    "-rw-r--r-- 1 u g 5 Jan 1 2020",
    "-rw-r--r-- 1 u g 5 Jan 1",
    "-rw-r--r--",
    "   ",
    "-",
    "total",
  };

  g_test_summary ("Lines that are not a listing entry are INVALID, never a guess");

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    assert_line (FERRY_LISTING_FORMAT_LIST, lines[i], FERRY_LISTING_LINE_INVALID);
}

static void
test_unix_size_overflow (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("PROTOCOL.md Resume: a size that overflows 64 bits is unknown (-1)");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rw-r--r-- 1 u g 99999999999999999999 Jan 1 2020 huge", NULL);
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, -1);

  g_clear_object (&file);
  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "-rw-r--r-- 1 u g 9223372036854775807 Jan 1 2020 max", NULL);
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, G_MAXINT64);
}

static void
test_unix_impossible_date (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("A date that does not exist (30 February) leaves the time unknown");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST, "-rw-r--r-- 1 u g 5 Feb 30 2020 f", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "f");
  assert_modified (file, NULL);
}

static void
test_dos_dir (void)
{
  g_autoptr(FerryRemoteFile) dir = NULL;

  g_test_summary ("LIST from IIS: <DIR> entries, two-digit years, 12-hour times");

  dir = parse_entry (FERRY_LISTING_FORMAT_LIST,
                     "11-25-23  12:34PM       <DIR>          folder name", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (dir), ==, "folder name");
  g_assert_true (ferry_remote_file_is_directory (dir));
  g_assert_cmpstr (ferry_remote_file_get_icon_name (dir), ==, "folder");
  g_assert_cmpint (ferry_remote_file_get_size (dir), ==, -1);
  g_assert_null (ferry_remote_file_get_permissions (dir));
  assert_modified (dir, "2023-11-25T12:34:00Z");
}

static void
test_dos_file (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(FerryRemoteFile) big = NULL;

  g_test_summary ("LIST from IIS: file sizes, four-digit years, 24-hour times");

  file = parse_entry (FERRY_LISTING_FORMAT_LIST,
                      "01-03-2024  09:05AM            123456 file.txt", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "file.txt");
  g_assert_cmpint (ferry_remote_file_get_file_type (file), ==, FERRY_FILE_TYPE_FILE);
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 123456);
  assert_modified (file, "2024-01-03T09:05:00Z");

  big = parse_entry (FERRY_LISTING_FORMAT_LIST,
                     "11-25-2023  23:59            5368709120 big image.iso", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (big), ==, "big image.iso");
  g_assert_cmpint (ferry_remote_file_get_size (big), ==, G_GINT64_CONSTANT (5368709120));
  assert_modified (big, "2023-11-25T23:59:00Z");
}

static void
test_dos_noon_midnight (void)
{
  g_autoptr(FerryRemoteFile) midnight = NULL;
  g_autoptr(FerryRemoteFile) noon = NULL;
  g_autoptr(FerryRemoteFile) spaced = NULL;

  g_test_summary ("LIST from IIS: 12:xxAM is after midnight, 12:xxPM after noon");

  midnight = parse_entry (FERRY_LISTING_FORMAT_LIST, "03-01-24  12:05AM  1 a", NULL);
  assert_modified (midnight, "2024-03-01T00:05:00Z");

  noon = parse_entry (FERRY_LISTING_FORMAT_LIST, "03-01-99  12:30PM  1 b", NULL);
  assert_modified (noon, "1999-03-01T12:30:00Z");

  spaced = parse_entry (FERRY_LISTING_FORMAT_LIST, "03-01-24  01:30 pm  1 c", NULL);
  assert_modified (spaced, "2024-03-01T13:30:00Z");

  assert_line (FERRY_LISTING_FORMAT_LIST, "03-01-24  13:30PM  1 d", FERRY_LISTING_LINE_INVALID);
}

static void
test_dos_unsafe (void)
{
  g_test_summary ("PROTOCOL.md Hostile servers: DOS listings are checked like Unix ones");

  assert_line (FERRY_LISTING_FORMAT_LIST, "01-03-2024  09:05AM  12 ..\\evil.exe",
               FERRY_LISTING_LINE_UNSAFE);
  assert_line (FERRY_LISTING_FORMAT_LIST, "01-03-2024  09:05AM  <DIR>  ..",
               FERRY_LISTING_LINE_SKIP);
  assert_line (FERRY_LISTING_FORMAT_LIST, "01-03-2024  09:05AM  <JUNCTION>  x",
               FERRY_LISTING_LINE_INVALID);
  assert_line (FERRY_LISTING_FORMAT_LIST, "13-03-2024  09:05AM  12 x",
               FERRY_LISTING_LINE_INVALID);
}

static void
test_mlsd_pyftpdlib (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("RFC 3659 §7: MLSD from pyftpdlib, with unix.mode giving the mode");

  file = parse_entry (FERRY_LISTING_FORMAT_MLSD,
                      "type=file;size=1024;modify=20231125123456;perm=radfw;unix.mode=0644;"
                      "unix.uid=1000;unix.gid=1000;unique=803g1a2b; a.txt", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "a.txt");
  g_assert_cmpint (ferry_remote_file_get_file_type (file), ==, FERRY_FILE_TYPE_FILE);
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, 1024);
  g_assert_cmpuint (ferry_remote_file_get_mode (file), ==, 0644);
  g_assert_cmpstr (ferry_remote_file_get_permissions (file), ==, "rw-r--r--");
  assert_modified (file, "2023-11-25T12:34:56Z");
}

static void
test_mlsd_dir (void)
{
  g_autoptr(FerryRemoteFile) dir = NULL;

  g_test_summary ("RFC 3659 §7: a directory with sizd, fractional modify and perm letters");

  dir = parse_entry (FERRY_LISTING_FORMAT_MLSD,
                     "type=dir;sizd=4096;modify=20231125123456.123;perm=flcdmpe; My Folder", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (dir), ==, "My Folder");
  g_assert_true (ferry_remote_file_is_directory (dir));
  g_assert_cmpint (ferry_remote_file_get_size (dir), ==, 4096);
  g_assert_cmpstr (ferry_remote_file_get_permissions (dir), ==, "flcdmpe");
  g_assert_cmpuint (ferry_remote_file_get_mode (dir), ==, 0);
  assert_modified (dir, "2023-11-25T12:34:56.123000Z");
}

static void
test_mlsd_cdir_pdir (void)
{
  g_test_summary ("RFC 3659 §7.5.1: cdir and pdir entries, and \".\"/\"..\", are skipped");

  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=cdir;modify=20231125123456; /home/ferry",
               FERRY_LISTING_LINE_SKIP);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=pdir;modify=20231125123456; ..",
               FERRY_LISTING_LINE_SKIP);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=dir; .", FERRY_LISTING_LINE_SKIP);
}

static void
test_mlsd_case (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("RFC 3659 §7: fact names and type values are case-insensitive");

  file = parse_entry (FERRY_LISTING_FORMAT_MLSD,
                      "Type=DIR;Modify=20240229235959;UNIX.mode=2775;Perm=el; Shared", NULL);
  g_assert_true (ferry_remote_file_is_directory (file));
  g_assert_cmpuint (ferry_remote_file_get_mode (file), ==, 02775);
  g_assert_cmpstr (ferry_remote_file_get_permissions (file), ==, "rwxrwsr-x");
  assert_modified (file, "2024-02-29T23:59:59Z");
}

static void
test_mlsd_symlink (void)
{
  g_autoptr(FerryRemoteFile) slink = NULL;
  g_autoptr(FerryRemoteFile) symlink = NULL;

  g_test_summary ("RFC 3659 §7.5.1: OS.unix=slink:target (the RFC's example form) is a "
                  "symbolic link");

  slink = parse_entry (FERRY_LISTING_FORMAT_MLSD,
                       "type=OS.unix=slink:/etc/passwd;size=11; pw", NULL);
  g_assert_cmpint (ferry_remote_file_get_file_type (slink), ==, FERRY_FILE_TYPE_SYMLINK);
  g_assert_cmpstr (ferry_remote_file_get_link_target (slink), ==, "/etc/passwd");

  symlink = parse_entry (FERRY_LISTING_FORMAT_MLSD, "type=OS.unix=symlink; lnk", NULL);
  g_assert_cmpint (ferry_remote_file_get_file_type (symlink), ==, FERRY_FILE_TYPE_SYMLINK);
  g_assert_null (ferry_remote_file_get_link_target (symlink));
}

static void
test_mlsd_special (void)
{
  g_autoptr(FerryRemoteFile) chr = NULL;
  g_autoptr(FerryRemoteFile) blk = NULL;
  g_autoptr(FerryRemoteFile) other = NULL;

  g_test_summary ("RFC 3659 §7.5.1: OS-specific types other than links are special files; "
                  "unknown types are unknown");

  chr = parse_entry (FERRY_LISTING_FORMAT_MLSD, "type=OS.unix=chr-1/3; null", NULL);
  g_assert_cmpint (ferry_remote_file_get_file_type (chr), ==, FERRY_FILE_TYPE_SPECIAL);

  blk = parse_entry (FERRY_LISTING_FORMAT_MLSD, "type=OS.unix=blk-8/0; sda", NULL);
  g_assert_cmpint (ferry_remote_file_get_file_type (blk), ==, FERRY_FILE_TYPE_SPECIAL);

  other = parse_entry (FERRY_LISTING_FORMAT_MLSD, "type=weird;size=3; thing", NULL);
  g_assert_cmpint (ferry_remote_file_get_file_type (other), ==, FERRY_FILE_TYPE_UNKNOWN);
  g_assert_cmpint (ferry_remote_file_get_size (other), ==, 3);
}

static void
test_mlsd_big_size (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("PROTOCOL.md Resume: sizes are 64-bit (files > 4 GiB)");

  file = parse_entry (FERRY_LISTING_FORMAT_MLSD,
                      "type=file;size=5368709120;modify=20240103090500; big.iso", NULL);
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, G_GINT64_CONSTANT (5368709120));
}

static void
test_mlsd_bad_size (void)
{
  static const char * const sizes[] = {
    "12abc", "99999999999999999999", "-5", "+5", " 5", "", "0x10",
  };

  g_test_summary ("PROTOCOL.md Resume: parse sizes strictly; junk or overflow is unknown");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *line = g_strdup_printf ("type=file;size=%s; f", sizes[i]);
      FerryRemoteFile *file = NULL;
      FerryListingLine result;

      /* " 5" puts a space inside the facts: the name then starts early,
       * which is fine as long as nothing crashes and no size is made up. */
      result = ferry_listing_parse_line (FERRY_LISTING_FORMAT_MLSD, line, strlen (line),
                                         NULL, &file);
      if (result == FERRY_LISTING_LINE_ENTRY)
        {
          g_assert_cmpint (ferry_remote_file_get_size (file), ==, -1);
          g_object_unref (file);
        }
      else
        {
          g_assert_cmpint (result, ==, FERRY_LISTING_LINE_INVALID);
          g_assert_null (file);
        }
    }
}

static void
test_mlsd_bad_modify (void)
{
  static const char * const times[] = {
    "2023", "20231345123456", "20230230123456", "2023112512345x",
    "20231125123456.", "20231125123456Z",
  };

  g_test_summary ("PROTOCOL.md Hostile servers: a malformed time is ignored; the entry stays");

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *line = g_strdup_printf ("type=file;size=1;modify=%s; f", times[i]);
      g_autoptr(FerryRemoteFile) file = parse_entry (FERRY_LISTING_FORMAT_MLSD, line, NULL);

      g_assert_cmpint (ferry_remote_file_get_size (file), ==, 1);
      assert_modified (file, NULL);
    }
}

static void
test_mlsd_name_with_separators (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(FerryRemoteFile) leading = NULL;

  g_test_summary ("RFC 3659 §7.2: the name follows the first space and may contain spaces, "
                  "semicolons and '='");

  file = parse_entry (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1; a; b=c d", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (file), ==, "a; b=c d");

  leading = parse_entry (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1;  lead", NULL);
  g_assert_cmpstr (ferry_remote_file_get_name (leading), ==, " lead");
}

static void
test_mlsd_unsafe (void)
{
  g_test_summary ("PROTOCOL.md Hostile servers: MLSD names are checked like LIST names "
                  "(lftp CVE-2018-10916)");

  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1; ../x", FERRY_LISTING_LINE_UNSAFE);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1; a/b", FERRY_LISTING_LINE_UNSAFE);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1; /etc/cron.d/x",
               FERRY_LISTING_LINE_UNSAFE);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1; evil\x1b]0;title\x07",
               FERRY_LISTING_LINE_UNSAFE);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1; tab\there",
               FERRY_LISTING_LINE_UNSAFE);
}

static void
test_mlsd_invalid (void)
{
  g_test_summary ("MLSD lines without facts or without a name are INVALID");

  assert_line (FERRY_LISTING_FORMAT_MLSD, "no facts here", FERRY_LISTING_LINE_INVALID);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1;", FERRY_LISTING_LINE_INVALID);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "type=file;size=1; ", FERRY_LISTING_LINE_INVALID);
  assert_line (FERRY_LISTING_FORMAT_MLSD, "=file; x", FERRY_LISTING_LINE_INVALID);
  assert_line (FERRY_LISTING_FORMAT_MLSD,
               "-rw-r--r-- 1 u g 5 Jan 1 2020 f", FERRY_LISTING_LINE_INVALID);
}

static void
test_long_line (void)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) junk = g_string_new (NULL);
  g_autofree char *unix_line = NULL;
  g_autofree char *mlsd_line = NULL;
  g_autofree char *dos_line = NULL;
  g_autofree char *fine_name = NULL;
  g_autofree char *fine_line = NULL;
  g_autoptr(FerryRemoteFile) file = NULL;

  g_test_summary ("A 100 KB line is handled without a crash; names over 1024 bytes are unsafe");

  while (name->len < 100 * 1024)
    g_string_append (name, "a ");
  while (junk->len < 100 * 1024)
    g_string_append (junk, "junk;=x ");

  unix_line = g_strdup_printf ("-rw-r--r-- 1 u g 5 Jan 1 2020 %s", name->str);
  assert_line (FERRY_LISTING_FORMAT_LIST, unix_line, FERRY_LISTING_LINE_UNSAFE);

  mlsd_line = g_strdup_printf ("type=file;size=5; %s", name->str);
  assert_line (FERRY_LISTING_FORMAT_MLSD, mlsd_line, FERRY_LISTING_LINE_UNSAFE);

  dos_line = g_strdup_printf ("01-03-2024  09:05AM  12 %s", name->str);
  assert_line (FERRY_LISTING_FORMAT_LIST, dos_line, FERRY_LISTING_LINE_UNSAFE);

  assert_line (FERRY_LISTING_FORMAT_LIST, junk->str, FERRY_LISTING_LINE_INVALID);
  assert_line (FERRY_LISTING_FORMAT_MLSD, junk->str, FERRY_LISTING_LINE_INVALID);

  fine_name = g_strnfill (1024, 'n');
  fine_line = g_strdup_printf ("-rw-r--r-- 1 u g 5 Jan 1 2020 %s", fine_name);
  file = parse_entry (FERRY_LISTING_FORMAT_LIST, fine_line, NULL);
  g_assert_cmpuint (strlen (ferry_remote_file_get_name (file)), ==, 1024);
}

static void
test_name_is_safe (void)
{
  static const struct {
    const char *name;
    gboolean safe;
  } cases[] = {
    { "file.txt", TRUE },
    { "with space", TRUE },
    { " leading", TRUE },
    { ".hidden", TRUE },
    { "...", TRUE },
    { "..x", TRUE },
    { "Grüße – 日本語.txt", TRUE },
    { "", FALSE },
    { ".", FALSE },
    { "..", FALSE },
    { "../x", FALSE },
    { "a/b", FALSE },
    { "/", FALSE },
    { "a\\b", FALSE },
    { "a\nb", FALSE },
    { "a\rb", FALSE },
    { "a\tb", FALSE },
    { "\x1b[2J", FALSE },
    { "del\x7f", FALSE },
    { "c1 \xc2\x85", FALSE },
    { "bad \xff utf8", FALSE },
    { "overlong \xc0\xae", FALSE },
  };
  g_autofree char *max = g_strnfill (1024, 'x');
  g_autofree char *over = g_strnfill (1025, 'x');

  g_test_summary ("PROTOCOL.md Hostile servers: reject empty, '.', '..', '/', '\\', NUL, "
                  "control characters, invalid UTF-8 and names over 1024 bytes");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = g_strescape (cases[i].name, NULL);

      g_test_message ("name \"%s\"", escaped);
      g_assert_cmpint (ferry_listing_name_is_safe (cases[i].name, -1), ==, cases[i].safe);
    }

  g_assert_false (ferry_listing_name_is_safe ("a\0b", 3));
  g_assert_true (ferry_listing_name_is_safe ("ab/cd", 2));
  g_assert_true (ferry_listing_name_is_safe (max, -1));
  g_assert_false (ferry_listing_name_is_safe (over, -1));
}

static void
test_parse_vsftpd_listing (void)
{
  static const char data[] =
    "total 5242896\r\n"
    "drwxr-xr-x    3 0        0            4096 Nov 25 12:34 .\r\n"
    "drwxr-xr-x    9 0        0            4096 Nov 20 08:00 ..\r\n"
    "-rw-r--r--    1 0        0      5368709120 Jan 03  2024 big.iso\r\n"
    "drwxr-xr-x    2 0        0            4096 Feb 28 17:45 pub\r\n"
    "lrwxrwxrwx    1 0        0              10 Feb 28 17:46 latest -> pub/v1.2.3\r\n"
    "-rw-r--r--    1 0        0               7 Feb 28 17:47 ../../.bashrc\r\n"
    "-rw-r--r--    1 0        0               7 Feb 28 17:47 \x1b[8mhidden\r\n"
    "this is not a listing line\r\n"
    "-rw-r--r--    1 0        0               3 Feb 29 10:00 last one";
  g_autoptr(GDateTime) now = fixed_now (2024, 3, 1);
  g_autoptr(GPtrArray) files = NULL;
  guint n_unsafe = 99;
  guint n_invalid = 99;

  g_test_summary ("A whole listing: CRLF lines, skipped lines, counted unsafe and invalid "
                  "lines, and a last line without a line end");

  files = ferry_listing_parse (FERRY_LISTING_FORMAT_LIST, data, strlen (data), now,
                               &n_unsafe, &n_invalid);
  g_assert_cmpuint (files->len, ==, 4);
  g_assert_cmpuint (n_unsafe, ==, 2);
  g_assert_cmpuint (n_invalid, ==, 1);

  g_assert_cmpstr (ferry_remote_file_get_name (g_ptr_array_index (files, 0)), ==, "big.iso");
  g_assert_cmpstr (ferry_remote_file_get_name (g_ptr_array_index (files, 1)), ==, "pub");
  g_assert_cmpstr (ferry_remote_file_get_name (g_ptr_array_index (files, 2)), ==, "latest");
  g_assert_cmpstr (ferry_remote_file_get_link_target (g_ptr_array_index (files, 2)), ==,
                   "pub/v1.2.3");
  g_assert_cmpstr (ferry_remote_file_get_name (g_ptr_array_index (files, 3)), ==, "last one");
  assert_modified (g_ptr_array_index (files, 3), "2024-02-29T10:00:00Z");
}

static void
test_parse_mlsd_listing (void)
{
  static const char data[] =
    "type=cdir;modify=20240301120000;perm=flcdmpe; .\n"
    "type=pdir;modify=20240301120000;perm=flcdmpe; ..\n"
    "type=file;size=42;modify=20240301120000;perm=adfrw; notes.txt\n"
    "type=dir;modify=20240301120000;perm=flcdmpe; sub dir\n"
    "type=file;size=1; a/b\n"
    "\n";
  g_autoptr(GPtrArray) files = NULL;
  guint n_unsafe = 99;
  guint n_invalid = 99;

  g_test_summary ("A whole MLSD listing with LF line ends");

  files = ferry_listing_parse (FERRY_LISTING_FORMAT_MLSD, data, strlen (data), NULL,
                               &n_unsafe, &n_invalid);
  g_assert_cmpuint (files->len, ==, 2);
  g_assert_cmpuint (n_unsafe, ==, 1);
  g_assert_cmpuint (n_invalid, ==, 0);
  g_assert_cmpstr (ferry_remote_file_get_name (g_ptr_array_index (files, 0)), ==, "notes.txt");
  g_assert_cmpstr (ferry_remote_file_get_permissions (g_ptr_array_index (files, 0)), ==, "adfrw");
  g_assert_cmpstr (ferry_remote_file_get_name (g_ptr_array_index (files, 1)), ==, "sub dir");
}

static void
test_parse_empty (void)
{
  g_autoptr(GPtrArray) files = NULL;
  guint n_unsafe = 99;
  guint n_invalid = 99;

  g_test_summary ("An empty listing gives an empty array");

  files = ferry_listing_parse (FERRY_LISTING_FORMAT_LIST, NULL, 0, NULL, &n_unsafe, &n_invalid);
  g_assert_nonnull (files);
  g_assert_cmpuint (files->len, ==, 0);
  g_assert_cmpuint (n_unsafe, ==, 0);
  g_assert_cmpuint (n_invalid, ==, 0);
}

static void
test_parse_cr_in_name (void)
{
  static const char data[] =
    "-rw-r--r-- 1 u g 5 Jan 1 2020 name\r\r\n"
    "-rw-r--r-- 1 u g 5 Jan 1 2020 name\r\n";
  g_autoptr(GPtrArray) files = NULL;
  guint n_unsafe = 0;

  g_test_summary ("A name that ends in CR is not silently turned into another name");

  files = ferry_listing_parse (FERRY_LISTING_FORMAT_LIST, data, strlen (data), NULL,
                               &n_unsafe, NULL);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpuint (n_unsafe, ==, 1);
}

static void
count_notify_cb (guint *counter)
{
  (*counter)++;
}

static void
test_remote_file_properties (void)
{
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *name = NULL;
  g_autofree char *icon = NULL;
  FerryFileType file_type;
  GParamSpec *pspec;
  gint64 size = 0;
  guint notified = 0;

  g_test_summary ("FerryRemoteFile: defaults, setters notify only on change, times are kept "
                  "in UTC");

  file = ferry_remote_file_new ("a.txt", FERRY_FILE_TYPE_FILE);
  g_assert_cmpint (ferry_remote_file_get_size (file), ==, -1);
  g_assert_null (ferry_remote_file_get_modified (file));
  g_assert_null (ferry_remote_file_get_permissions (file));
  g_assert_cmpuint (ferry_remote_file_get_mode (file), ==, 0);
  g_assert_cmpstr (ferry_remote_file_get_icon_name (file), ==, "text-x-generic");

  g_signal_connect_swapped (file, "notify::size", G_CALLBACK (count_notify_cb), &notified);
  ferry_remote_file_set_size (file, 10);
  ferry_remote_file_set_size (file, 10);
  g_assert_cmpuint (notified, ==, 1);

  tz = g_time_zone_new_offset (2 * 3600);
  local = g_date_time_new (tz, 2024, 3, 1, 14, 0, 0);
  ferry_remote_file_set_modified (file, local);
  g_assert_cmpint (g_date_time_get_utc_offset (ferry_remote_file_get_modified (file)), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (ferry_remote_file_get_modified (file)), ==, 12);

  g_object_get (file,
                "name", &name,
                "file-type", &file_type,
                "size", &size,
                "modified", &modified,
                "icon-name", &icon,
                NULL);
  g_assert_cmpstr (name, ==, "a.txt");
  g_assert_cmpint (file_type, ==, FERRY_FILE_TYPE_FILE);
  g_assert_cmpint (size, ==, 10);
  g_assert_true (g_date_time_equal (modified, local));
  g_assert_cmpstr (icon, ==, "text-x-generic");
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (file), "file-type");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == FERRY_TYPE_FILE_TYPE);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (file), "icon-name");
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);

  g_assert_finalize_object (g_steal_pointer (&file));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ftp/listing/unix/vsftpd", test_unix_vsftpd);
  g_test_add_func ("/ftp/listing/unix/pure-ftpd", test_unix_pure_ftpd);
  g_test_add_func ("/ftp/listing/unix/proftpd", test_unix_proftpd);
  g_test_add_func ("/ftp/listing/unix/filezilla-server", test_unix_filezilla_server);
  g_test_add_func ("/ftp/listing/unix/year", test_unix_year);
  g_test_add_func ("/ftp/listing/unix/year-inference", test_unix_year_inference);
  g_test_add_func ("/ftp/listing/unix/no-group", test_unix_no_group);
  g_test_add_func ("/ftp/listing/unix/acl-marks", test_unix_acl_marks);
  g_test_add_func ("/ftp/listing/unix/symlink", test_unix_symlink);
  g_test_add_func ("/ftp/listing/unix/symlink-escaping-target", test_unix_symlink_escaping_target);
  g_test_add_func ("/ftp/listing/unix/device", test_unix_device);
  g_test_add_func ("/ftp/listing/unix/fifo-socket", test_unix_fifo_socket);
  g_test_add_func ("/ftp/listing/unix/spaces", test_unix_spaces);
  g_test_add_func ("/ftp/listing/unix/owner-with-spaces", test_unix_owner_with_spaces);
  g_test_add_func ("/ftp/listing/unix/mode-bits", test_unix_mode_bits);
  g_test_add_func ("/ftp/listing/unix/iso-date", test_unix_iso_date);
  g_test_add_func ("/ftp/listing/unix/total", test_unix_total);
  g_test_add_func ("/ftp/listing/unix/dot", test_unix_dot);
  g_test_add_func ("/ftp/listing/unix/unsafe", test_unix_unsafe);
  g_test_add_func ("/ftp/listing/unix/nul", test_unix_nul);
  g_test_add_func ("/ftp/listing/unix/cr-in-name", test_unix_cr_in_name);
  g_test_add_func ("/ftp/listing/unix/invalid", test_unix_invalid);
  g_test_add_func ("/ftp/listing/unix/size-overflow", test_unix_size_overflow);
  g_test_add_func ("/ftp/listing/unix/impossible-date", test_unix_impossible_date);
  g_test_add_func ("/ftp/listing/dos/dir", test_dos_dir);
  g_test_add_func ("/ftp/listing/dos/file", test_dos_file);
  g_test_add_func ("/ftp/listing/dos/noon-midnight", test_dos_noon_midnight);
  g_test_add_func ("/ftp/listing/dos/unsafe", test_dos_unsafe);
  g_test_add_func ("/ftp/listing/mlsd/pyftpdlib", test_mlsd_pyftpdlib);
  g_test_add_func ("/ftp/listing/mlsd/dir", test_mlsd_dir);
  g_test_add_func ("/ftp/listing/mlsd/cdir-pdir", test_mlsd_cdir_pdir);
  g_test_add_func ("/ftp/listing/mlsd/case", test_mlsd_case);
  g_test_add_func ("/ftp/listing/mlsd/symlink", test_mlsd_symlink);
  g_test_add_func ("/ftp/listing/mlsd/special", test_mlsd_special);
  g_test_add_func ("/ftp/listing/mlsd/big-size", test_mlsd_big_size);
  g_test_add_func ("/ftp/listing/mlsd/bad-size", test_mlsd_bad_size);
  g_test_add_func ("/ftp/listing/mlsd/bad-modify", test_mlsd_bad_modify);
  g_test_add_func ("/ftp/listing/mlsd/name-with-separators", test_mlsd_name_with_separators);
  g_test_add_func ("/ftp/listing/mlsd/unsafe", test_mlsd_unsafe);
  g_test_add_func ("/ftp/listing/mlsd/invalid", test_mlsd_invalid);
  g_test_add_func ("/ftp/listing/long-line", test_long_line);
  g_test_add_func ("/ftp/listing/name-is-safe", test_name_is_safe);
  g_test_add_func ("/ftp/listing/parse/vsftpd", test_parse_vsftpd_listing);
  g_test_add_func ("/ftp/listing/parse/mlsd", test_parse_mlsd_listing);
  g_test_add_func ("/ftp/listing/parse/empty", test_parse_empty);
  g_test_add_func ("/ftp/listing/parse/cr-in-name", test_parse_cr_in_name);
  g_test_add_func ("/ftp/remote-file/properties", test_remote_file_properties);

  return g_test_run ();
}
