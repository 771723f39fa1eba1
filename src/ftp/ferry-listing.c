/* ferry-listing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Directory listings come from the server and are hostile until proven
 * otherwise: every field is checked, and a name is only used when it cannot
 * leave the folder it was listed in (wget CVE-2014-4877, lftp CVE-2018-10916).
 */

#define G_LOG_DOMAIN "ferry-listing"

#include "config.h"

#include "ferry-ftp-error.h"
#include "ferry-listing.h"

#include <string.h>

/* Longer names exceed what local file systems take (NAME_MAX is 255 bytes
 * on Linux), but a listing may still show them; beyond this they are junk. */
#define NAME_MAX_BYTES 1024

/* The fields before a Unix listing's name: type and mode, links, owner,
 * group (which may contain spaces on Windows servers), size or
 * "major, minor", and up to four date fields.  The name is found by its
 * position, not by splitting, so it may hold any number of spaces. */
#define MAX_TOKENS 16

/* How much of a bad line a debug message quotes. */
#define QUOTE_MAX_BYTES 200

typedef struct
{
  const char *str;
  gsize       len;
} Span;

static const char * const month_names[] = {
  "jan", "feb", "mar", "apr", "may", "jun",
  "jul", "aug", "sep", "oct", "nov", "dec",
};

static gboolean
span_equal (Span        span,
            const char *str)
{
  return span.len == strlen (str) && g_ascii_strncasecmp (span.str, str, span.len) == 0;
}

static gboolean
span_has_prefix (Span        span,
                 const char *prefix)
{
  gsize len = strlen (prefix);

  return span.len >= len && g_ascii_strncasecmp (span.str, prefix, len) == 0;
}

static gboolean
all_digits (const char *str,
            gsize       len)
{
  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (str[i]))
      return FALSE;

  return TRUE;
}

/* Parses a decimal number made of digits only: no sign, no space, no text
 * around it.  Returns FALSE for junk and for values over @max. */
static gboolean
parse_decimal (const char *str,
               gsize       len,
               guint64     max,
               guint64    *out_value)
{
  guint64 value = 0;

  if (!all_digits (str, len))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guint digit = str[i] - '0';

      if (digit > max || value > (max - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  *out_value = value;

  return TRUE;
}

/* PROTOCOL.md: sizes are 64-bit, parsed strictly; junk or overflow is -1. */
static gint64
parse_size (const char *str,
            gsize       len)
{
  guint64 value;

  if (!parse_decimal (str, len, G_MAXINT64, &value))
    return -1;

  return (gint64) value;
}

static int
parse_int_span (Span span,
                int  min,
                int  max)
{
  guint64 value;

  if (span.len > 4 || !parse_decimal (span.str, span.len, max, &value) || (int) value < min)
    return -1;

  return (int) value;
}

/* Returns 1-12, or 0 if @span is not an English month abbreviation. */
static int
parse_month (Span span)
{
  for (guint i = 0; i < G_N_ELEMENTS (month_names); i++)
    if (span_equal (span, month_names[i]))
      return i + 1;

  return 0;
}

/* Parses an optional ".fff" (any number of digits) into microseconds,
 * adding them to *@usec.  Microseconds are all a GDateTime keeps, so
 * further digits (ls --full-time shows nanoseconds) are dropped. */
static gboolean
add_fraction (const char *s,
              const char *end,
              gint64     *usec)
{
  gint64 scale = G_USEC_PER_SEC / 10;

  if (s == end)
    return TRUE;

  if (*s != '.' || !all_digits (s + 1, end - s - 1))
    return FALSE;

  for (s++; s < end && scale > 0; s++, scale /= 10)
    *usec += (*s - '0') * scale;

  return TRUE;
}

/* Parses "H:MM", "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff". */
static gboolean
parse_clock (Span     span,
             int     *hour,
             int     *minute,
             gint64  *usec)
{
  const char *s = span.str;
  const char *end = span.str + span.len;
  const char *colon = memchr (s, ':', span.len);
  int whole_seconds;

  if (colon == NULL || colon - s < 1 || colon - s > 2 || end - colon < 3)
    return FALSE;

  *hour = parse_int_span ((Span) { s, colon - s }, 0, 23);
  *minute = parse_int_span ((Span) { colon + 1, 2 }, 0, 59);
  if (*hour < 0 || *minute < 0)
    return FALSE;

  s = colon + 3;
  *usec = 0;
  if (s == end)
    return TRUE;

  if (*s != ':' || end - s < 3)
    return FALSE;

  whole_seconds = parse_int_span ((Span) { s + 1, 2 }, 0, 59);
  if (whole_seconds < 0)
    return FALSE;

  *usec = whole_seconds * G_USEC_PER_SEC;

  return add_fraction (s + 3, end, usec);
}

static gboolean
parse_year (Span  span,
            int  *year)
{
  if (span.len != 4)
    return FALSE;

  *year = parse_int_span (span, 1900, 9999);

  return *year > 0;
}

/* Returns the time in UTC, or NULL (without a critical) for dates that do
 * not exist.  @usec counts the seconds within the minute in microseconds,
 * which keeps fractions exact where a double would not. */
static GDateTime *
make_time (GTimeZone *tz,
           int        year,
           int        month,
           int        day,
           int        hour,
           int        minute,
           gint64     usec)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) exact = NULL;

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      usec < 0 || usec >= 60 * G_USEC_PER_SEC)
    return NULL;

  if (day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    return NULL;

  if (tz == NULL)
    tz = utc = g_time_zone_new_utc ();

  dt = g_date_time_new (tz, year, month, day, hour, minute, 0);
  if (dt == NULL)
    return NULL;

  exact = g_date_time_add (dt, usec);
  if (exact == NULL)
    return NULL;

  return g_date_time_to_utc (exact);
}

/* "Nov 25 12:34" has no year: ls shows the time instead of the year for
 * files changed within the last six months, so the year is the one that
 * puts the date in the past, allowing a day for time zones and clock skew. */
static GDateTime *
make_time_without_year (GDateTime *now,
                        int        month,
                        int        day,
                        int        hour,
                        int        minute,
                        gint64     usec)
{
  g_autoptr(GDateTime) limit = g_date_time_add_days (now, 1);
  int year = g_date_time_get_year (now);
  GDateTime *dt;

  dt = make_time (NULL, year, month, day, hour, minute, usec);
  if (dt == NULL || g_date_time_compare (dt, limit) > 0)
    {
      g_clear_pointer (&dt, g_date_time_unref);
      dt = make_time (NULL, year - 1, month, day, hour, minute, usec);
    }

  return dt;
}

/* Splits @line at runs of spaces into at most @max tokens. */
static guint
tokenize (const char *line,
          gsize       len,
          Span       *tokens,
          guint       max)
{
  gsize pos = 0;
  guint n = 0;

  while (n < max)
    {
      gsize start;

      while (pos < len && line[pos] == ' ')
        pos++;
      if (pos == len)
        break;

      start = pos;
      while (pos < len && line[pos] != ' ')
        pos++;

      tokens[n++] = (Span) { line + start, pos - start };
    }

  return n;
}

/* Finds " -> " in the name of a symbolic link; memmem() is a GNU extension. */
static const char *
find_arrow (const char *str,
            gsize       len)
{
  for (gsize i = 0; i + 4 <= len; i++)
    if (memcmp (str + i, " -> ", 4) == 0)
      return str + i;

  return NULL;
}

static gboolean
is_dot_or_dot_dot (const char *name,
                   gsize       len)
{
  return (len == 1 && name[0] == '.') ||
         (len == 2 && name[0] == '.' && name[1] == '.');
}

/* Fills @permissions with the nine "rwx" characters of an ls mode string
 * and returns the mode bits, or -1 if @str is not one. */
static int
parse_rwx (const char *str,
           char        permissions[10])
{
  /* For each position: the characters it may hold. */
  static const char * const allowed[9] = {
    "r-", "w-", "xsS-", "r-", "w-", "xsSlL-", "r-", "w-", "xtT-",
  };
  static const int bits[9] = {
    0400, 0200, 0100, 040, 020, 010, 04, 02, 01,
  };
  int mode = 0;

  for (guint i = 0; i < 9; i++)
    {
      char c = str[i];

      if (c == '\0' || strchr (allowed[i], c) == NULL)
        return -1;

      if (c == 'r' || c == 'w' || c == 'x' || c == 's' || c == 't')
        mode |= bits[i];

      if (c == 's' || c == 'S')
        mode |= i == 2 ? 04000 : 02000;
      else if (c == 't' || c == 'T')
        mode |= 01000;
      else if (c == 'l' || c == 'L')
        mode |= 02000; /* System V mandatory locking: setgid without group x */
    }

  memcpy (permissions, str, 9);
  permissions[9] = '\0';

  return mode;
}

/* Looks for the date at token @i: "Nov 25 12:34", "Nov 25  2023",
 * BSD "Nov 25 12:34:56 2023", "2023-11-25 12:34" (ls --time-style=long-iso)
 * or "2023-11-25 12:34:56.000000000 +0100" (full-iso).  Returns the index of
 * the date's last token, or -1; sets *@modified to the time when valid. */
static int
parse_unix_date (const Span  *tokens,
                 guint        n_tokens,
                 guint        i,
                 GDateTime   *now,
                 GDateTime  **modified)
{
  int month;
  int day;
  int year;
  int hour;
  int minute;
  gint64 usec;

  *modified = NULL;

  if (i + 1 >= n_tokens)
    return -1;

  if ((month = parse_month (tokens[i])) > 0)
    {
      if (i + 2 >= n_tokens ||
          tokens[i + 1].len > 2 ||
          (day = parse_int_span (tokens[i + 1], 1, 31)) < 0)
        return -1;

      if (parse_year (tokens[i + 2], &year))
        {
          *modified = make_time (NULL, year, month, day, 0, 0, 0);
          return i + 2;
        }

      if (!parse_clock (tokens[i + 2], &hour, &minute, &usec))
        return -1;

      if (i + 3 < n_tokens && parse_year (tokens[i + 3], &year))
        {
          *modified = make_time (NULL, year, month, day, hour, minute, usec);
          return i + 3;
        }

      *modified = make_time_without_year (now, month, day, hour, minute, usec);
      return i + 2;
    }

  if (tokens[i].len == 10 && tokens[i].str[4] == '-' && tokens[i].str[7] == '-')
    {
      Span y = { tokens[i].str, 4 };
      Span m = { tokens[i].str + 5, 2 };
      Span d = { tokens[i].str + 8, 2 };
      g_autoptr(GTimeZone) tz = NULL;
      int last = i + 1;

      if (!parse_year (y, &year) ||
          (month = parse_int_span (m, 1, 12)) < 0 ||
          (day = parse_int_span (d, 1, 31)) < 0 ||
          !parse_clock (tokens[i + 1], &hour, &minute, &usec))
        return -1;

      if (i + 2 < n_tokens &&
          tokens[i + 2].len == 5 &&
          (tokens[i + 2].str[0] == '+' || tokens[i + 2].str[0] == '-') &&
          all_digits (tokens[i + 2].str + 1, 4))
        {
          Span hh = { tokens[i + 2].str + 1, 2 };
          Span mm = { tokens[i + 2].str + 3, 2 };
          int offset_h = parse_int_span (hh, 0, 23);
          int offset_m = parse_int_span (mm, 0, 59);

          if (offset_h < 0 || offset_m < 0)
            return -1;

          tz = g_time_zone_new_offset ((tokens[i + 2].str[0] == '-' ? -1 : 1) *
                                       (offset_h * 3600 + offset_m * 60));
          last = i + 2;
        }

      *modified = make_time (tz, year, month, day, hour, minute, usec);
      return last;
    }

  return -1;
}

static FerryListingLine
parse_unix (const char        *line,
            gsize              len,
            GDateTime         *now,
            FerryRemoteFile  **out_file)
{
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *name = NULL;
  g_autofree char *target = NULL;
  Span tokens[MAX_TOKENS];
  char permissions[10];
  FerryFileType file_type;
  const char *name_start;
  const char *name_end;
  const char *line_end = line + len;
  gint64 size = -1;
  gboolean is_device;
  guint n_tokens;
  int last = -1;
  int mode;

  n_tokens = tokenize (line, len, tokens, MAX_TOKENS);

  if (n_tokens == 2 && span_equal (tokens[0], "total") && all_digits (tokens[1].str, tokens[1].len))
    return FERRY_LISTING_LINE_SKIP;

  /* "drwxr-xr-x", maybe followed by '+' (ACL), '@' (macOS extended
   * attributes) or '.' (SELinux context). */
  if (n_tokens < 5 ||
      (tokens[0].len != 10 && tokens[0].len != 11) ||
      (tokens[0].len == 11 && strchr ("+@.", tokens[0].str[10]) == NULL) ||
      (mode = parse_rwx (tokens[0].str + 1, permissions)) < 0)
    return FERRY_LISTING_LINE_INVALID;

  switch (tokens[0].str[0])
    {
    case '-':
      file_type = FERRY_FILE_TYPE_FILE;
      break;
    case 'd':
      file_type = FERRY_FILE_TYPE_DIRECTORY;
      break;
    case 'l':
      file_type = FERRY_FILE_TYPE_SYMLINK;
      break;
    case 'c':
    case 'b':
    case 'p':
    case 's':
      file_type = FERRY_FILE_TYPE_SPECIAL;
      break;
    default:
      return FERRY_LISTING_LINE_INVALID;
    }

  is_device = tokens[0].str[0] == 'c' || tokens[0].str[0] == 'b';

  /* The date follows the size; the owner and group before it vary in
   * number (no group, numeric ids, names with spaces), so look for the
   * first place where a size is followed by a date. */
  for (guint i = 3; i < n_tokens; i++)
    {
      g_clear_pointer (&modified, g_date_time_unref);

      /* Devices show "major, minor" instead of a size. */
      if (!is_device && !all_digits (tokens[i - 1].str, tokens[i - 1].len))
        continue;

      last = parse_unix_date (tokens, n_tokens, i, now, &modified);
      if (last >= 0)
        {
          if (!is_device)
            size = parse_size (tokens[i - 1].str, tokens[i - 1].len);
          break;
        }
    }

  if (last < 0)
    return FERRY_LISTING_LINE_INVALID;

  /* ls separates the name from the date by one space; any further space
   * belongs to the name. */
  name_start = tokens[last].str + tokens[last].len + 1;
  if (name_start >= line_end)
    return FERRY_LISTING_LINE_INVALID;
  name_end = line_end;

  if (file_type == FERRY_FILE_TYPE_SYMLINK)
    {
      const char *arrow = find_arrow (name_start, name_end - name_start);

      if (arrow != NULL)
        {
          /* The target is only shown, never followed, so it may be
           * anything ("../../etc"); only the link's own name must be safe. */
          target = g_utf8_make_valid (arrow + 4, name_end - (arrow + 4));
          name_end = arrow;
        }
    }

  if (is_dot_or_dot_dot (name_start, name_end - name_start))
    return FERRY_LISTING_LINE_SKIP;

  if (!ferry_listing_name_is_safe (name_start, name_end - name_start))
    return FERRY_LISTING_LINE_UNSAFE;

  name = g_strndup (name_start, name_end - name_start);
  file = ferry_remote_file_new (name, file_type);
  ferry_remote_file_set_size (file, size);
  ferry_remote_file_set_modified (file, modified);
  ferry_remote_file_set_permissions (file, permissions);
  ferry_remote_file_set_mode (file, mode);
  if (target != NULL && target[0] != '\0')
    ferry_remote_file_set_link_target (file, target);

  if (out_file != NULL)
    *out_file = g_steal_pointer (&file);

  return FERRY_LISTING_LINE_ENTRY;
}

/* Parses a DOS time: "12:34PM", "12:34 PM" (two tokens) or "23:59".
 * Returns how many tokens it used, or 0. */
static guint
parse_dos_time (const Span *tokens,
                guint       n_tokens,
                int        *hour,
                int        *minute)
{
  Span clock = tokens[0];
  Span suffix = { NULL, 0 };
  guint used = 1;
  gint64 usec;

  if (clock.len > 2 && g_ascii_isalpha (clock.str[clock.len - 1]))
    {
      suffix = (Span) { clock.str + clock.len - 2, 2 };
      clock.len -= 2;
    }
  else if (n_tokens > 1 && (span_equal (tokens[1], "AM") || span_equal (tokens[1], "PM")))
    {
      suffix = tokens[1];
      used = 2;
    }

  if (!parse_clock (clock, hour, minute, &usec))
    return 0;

  if (suffix.str != NULL)
    {
      gboolean pm = span_equal (suffix, "PM");

      if ((!pm && !span_equal (suffix, "AM")) || *hour < 1 || *hour > 12)
        return 0;

      /* 12:xxAM is just after midnight, 12:xxPM just after noon. */
      *hour = (*hour % 12) + (pm ? 12 : 0);
    }

  return used;
}

/* IIS and other Windows servers: "11-25-23  12:34PM  <DIR>  folder" or
 * "01-03-2024  09:05AM  123456 file.txt". */
static FerryListingLine
parse_dos (const char        *line,
           gsize              len,
           FerryRemoteFile  **out_file)
{
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *name = NULL;
  Span tokens[4];
  FerryFileType file_type;
  const char *name_start;
  const char *line_end = line + len;
  Span date;
  Span kind;
  gint64 size = -1;
  guint n_tokens;
  guint used;
  int month;
  int day;
  int year;
  int hour;
  int minute;

  n_tokens = tokenize (line, len, tokens, G_N_ELEMENTS (tokens));
  if (n_tokens < 3)
    return FERRY_LISTING_LINE_INVALID;

  date = tokens[0];
  if ((date.len != 8 && date.len != 10) ||
      (date.str[2] != '-' && date.str[2] != '/') ||
      date.str[5] != date.str[2])
    return FERRY_LISTING_LINE_INVALID;

  month = parse_int_span ((Span) { date.str, 2 }, 1, 12);
  day = parse_int_span ((Span) { date.str + 3, 2 }, 1, 31);
  year = parse_int_span ((Span) { date.str + 6, date.len - 6 }, 0, 9999);
  if (month < 0 || day < 0 || year < 0)
    return FERRY_LISTING_LINE_INVALID;

  /* Two-digit years: IIS's default; 70-99 are 19xx as in POSIX strptime. */
  if (date.len == 8)
    year += year < 70 ? 2000 : 1900;

  used = parse_dos_time (tokens + 1, n_tokens - 1, &hour, &minute);
  if (used == 0 || 1 + used >= n_tokens)
    return FERRY_LISTING_LINE_INVALID;

  kind = tokens[1 + used];
  if (span_equal (kind, "<DIR>"))
    {
      file_type = FERRY_FILE_TYPE_DIRECTORY;

      /* <DIR> is padded to the size column's width. */
      name_start = kind.str + kind.len;
      while (name_start < line_end && *name_start == ' ')
        name_start++;
    }
  else if (all_digits (kind.str, kind.len))
    {
      file_type = FERRY_FILE_TYPE_FILE;
      size = parse_size (kind.str, kind.len);

      /* The size is right-aligned and followed by one space. */
      name_start = kind.str + kind.len + 1;
    }
  else
    {
      return FERRY_LISTING_LINE_INVALID;
    }

  if (name_start >= line_end)
    return FERRY_LISTING_LINE_INVALID;

  if (is_dot_or_dot_dot (name_start, line_end - name_start))
    return FERRY_LISTING_LINE_SKIP;

  if (!ferry_listing_name_is_safe (name_start, line_end - name_start))
    return FERRY_LISTING_LINE_UNSAFE;

  modified = make_time (NULL, year, month, day, hour, minute, 0);
  name = g_strndup (name_start, line_end - name_start);
  file = ferry_remote_file_new (name, file_type);
  ferry_remote_file_set_size (file, size);
  ferry_remote_file_set_modified (file, modified);

  if (out_file != NULL)
    *out_file = g_steal_pointer (&file);

  return FERRY_LISTING_LINE_ENTRY;
}

/* RFC 3659 §2.3: YYYYMMDDHHMMSS[.sss], always UTC. */
static GDateTime *
parse_mlsd_time (Span value)
{
  int parts[6];
  static const guint widths[6] = { 4, 2, 2, 2, 2, 2 };
  const char *s = value.str;
  gint64 usec;

  if (value.len < 14)
    return NULL;

  for (guint i = 0; i < 6; i++)
    {
      parts[i] = parse_int_span ((Span) { s, widths[i] }, 0, 9999);
      if (parts[i] < 0)
        return NULL;
      s += widths[i];
    }

  usec = parts[5] * G_USEC_PER_SEC;
  if (!add_fraction (s, value.str + value.len, &usec))
    return NULL;

  return make_time (NULL, parts[0], parts[1], parts[2], parts[3], parts[4], usec);
}

/* "0755" or "755"; file type bits some servers add are dropped. */
static gboolean
parse_octal_mode (Span   value,
                  guint *mode)
{
  guint64 result = 0;

  if (value.len == 0 || value.len > 7)
    return FALSE;

  for (gsize i = 0; i < value.len; i++)
    {
      if (value.str[i] < '0' || value.str[i] > '7')
        return FALSE;
      result = result * 8 + (value.str[i] - '0');
    }

  *mode = result & 07777;

  return TRUE;
}

static void
format_rwx (guint mode,
            char  permissions[10])
{
  static const char rwx[] = "rwxrwxrwx";

  for (guint i = 0; i < 9; i++)
    permissions[i] = (mode & (0400 >> i)) != 0 ? rwx[i] : '-';

  if (mode & 04000)
    permissions[2] = (mode & 0100) != 0 ? 's' : 'S';
  if (mode & 02000)
    permissions[5] = (mode & 010) != 0 ? 's' : 'S';
  if (mode & 01000)
    permissions[8] = (mode & 01) != 0 ? 't' : 'T';

  permissions[9] = '\0';
}

/* RFC 3659 §7.5.1: the "type" fact.  Sets *@skip for the listed folder
 * itself and its parent, and *@target for a link whose target is given
 * ("OS.unix=slink:/target", the form in the RFC's examples). */
static FerryFileType
parse_mlsd_type (Span       value,
                 gboolean  *skip,
                 char     **target)
{
  const char *colon;

  *skip = FALSE;

  if (span_equal (value, "file"))
    return FERRY_FILE_TYPE_FILE;

  if (span_equal (value, "dir"))
    return FERRY_FILE_TYPE_DIRECTORY;

  if (span_equal (value, "cdir") || span_equal (value, "pdir"))
    {
      *skip = TRUE;
      return FERRY_FILE_TYPE_DIRECTORY;
    }

  if (span_has_prefix (value, "OS.unix=slink") || span_has_prefix (value, "OS.unix=symlink"))
    {
      colon = memchr (value.str, ':', value.len);
      if (colon != NULL && colon + 1 < value.str + value.len)
        *target = g_utf8_make_valid (colon + 1, value.str + value.len - colon - 1);

      return FERRY_FILE_TYPE_SYMLINK;
    }

  /* Devices, FIFOs and sockets: OS.unix=chr-1/3, OS.unix=blk-8/0, ... */
  if (span_has_prefix (value, "OS."))
    return FERRY_FILE_TYPE_SPECIAL;

  return FERRY_FILE_TYPE_UNKNOWN;
}

/* RFC 3659 §7: "fact=value;fact=value; name".  The facts end at the first
 * space; the name is everything after it, spaces and semicolons included. */
static FerryListingLine
parse_mlsd (const char        *line,
            gsize              len,
            FerryRemoteFile  **out_file)
{
  g_autoptr(FerryRemoteFile) file = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *name = NULL;
  g_autofree char *target = NULL;
  g_autofree char *perm = NULL;
  FerryFileType file_type = FERRY_FILE_TYPE_UNKNOWN;
  const char *space = memchr (line, ' ', len);
  const char *name_start;
  const char *line_end = line + len;
  const char *p;
  gint64 size = -1;
  gint64 sizd = -1;
  gboolean skip = FALSE;
  gboolean has_mode = FALSE;
  guint mode = 0;

  if (space == NULL || space + 1 >= line_end)
    return FERRY_LISTING_LINE_INVALID;

  name_start = space + 1;

  for (p = line; p < space;)
    {
      const char *semicolon = memchr (p, ';', space - p);
      const char *fact_end = semicolon != NULL ? semicolon : space;
      const char *equals = memchr (p, '=', fact_end - p);
      Span fact;
      Span value;

      if (fact_end == p)
        {
          p++;
          continue;
        }

      if (equals == NULL || equals == p)
        return FERRY_LISTING_LINE_INVALID;

      fact = (Span) { p, equals - p };
      value = (Span) { equals + 1, fact_end - equals - 1 };
      p = fact_end + (semicolon != NULL ? 1 : 0);

      if (span_equal (fact, "type"))
        {
          g_clear_pointer (&target, g_free);
          file_type = parse_mlsd_type (value, &skip, &target);
        }
      else if (span_equal (fact, "size"))
        {
          size = parse_size (value.str, value.len);
        }
      else if (span_equal (fact, "sizd"))
        {
          sizd = parse_size (value.str, value.len);
        }
      else if (span_equal (fact, "modify"))
        {
          /* A malformed time is dropped; the entry is still good. */
          g_clear_pointer (&modified, g_date_time_unref);
          modified = parse_mlsd_time (value);
        }
      else if (span_equal (fact, "perm"))
        {
          g_free (perm);
          perm = g_utf8_make_valid (value.str, value.len);
        }
      else if (span_equal (fact, "unix.mode"))
        {
          has_mode = parse_octal_mode (value, &mode);
        }
    }

  if (skip || is_dot_or_dot_dot (name_start, line_end - name_start))
    return FERRY_LISTING_LINE_SKIP;

  if (!ferry_listing_name_is_safe (name_start, line_end - name_start))
    return FERRY_LISTING_LINE_UNSAFE;

  name = g_strndup (name_start, line_end - name_start);
  file = ferry_remote_file_new (name, file_type);
  ferry_remote_file_set_size (file, size >= 0 ? size : sizd);
  ferry_remote_file_set_modified (file, modified);
  ferry_remote_file_set_link_target (file, target);

  /* One permissions string for the UI: the familiar "rwxr-xr-x" when the
   * server tells the mode, else the RFC 3659 perm letters. */
  if (has_mode)
    {
      char rwx[10];

      format_rwx (mode, rwx);
      ferry_remote_file_set_mode (file, mode);
      ferry_remote_file_set_permissions (file, rwx);
    }
  else
    {
      ferry_remote_file_set_permissions (file, perm);
    }

  if (out_file != NULL)
    *out_file = g_steal_pointer (&file);

  return FERRY_LISTING_LINE_ENTRY;
}

/**
 * ferry_listing_name_is_safe:
 * @name: (array length=len): a name from a listing
 * @len: the length of @name in bytes, or -1 when nul-terminated
 *
 * Whether @name can be used as a file name inside the folder it was listed
 * in, without leaving it or confusing a terminal or log: it is not empty,
 * "." or "..", has no '/' or '\\' (a separator on Windows and DOS servers),
 * no NUL or other control character, is valid UTF-8 and at most 1024 bytes.
 *
 * Returns: %TRUE if the name may be used
 */
gboolean
ferry_listing_name_is_safe (const char *name,
                            gssize      len)
{
  const char *end;

  g_return_val_if_fail (name != NULL || len == 0, FALSE);

  if (len < 0)
    len = strlen (name);

  if (len == 0 || len > NAME_MAX_BYTES || is_dot_or_dot_dot (name, len))
    return FALSE;

  for (gssize i = 0; i < len; i++)
    {
      guchar c = name[i];

      if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
        return FALSE;
    }

  if (!g_utf8_validate_len (name, len, NULL))
    return FALSE;

  /* C1 controls (U+0080 to U+009F) include CSI, which some terminals obey. */
  end = name + len;
  for (const char *p = name; p < end; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/**
 * ferry_listing_parse_line:
 * @format: the command that produced the listing
 * @line: (array length=len): one line, without its LF; a trailing CR is
 *   ignored
 * @len: the length of @line in bytes
 * @now: (nullable): the current time, for Unix dates shown without a year;
 *   %NULL for the real current time
 * @out_file: (out) (optional) (nullable) (transfer full): the entry
 *
 * Parses one line of a LIST or MLSD listing.  LIST lines may be in Unix
 * "ls -l" form (vsftpd, ProFTPD, pure-ftpd, FileZilla Server) or DOS form
 * (IIS), detected per line.  Unix dates without a year are placed in the
 * year that puts them no more than a day after @now.
 *
 * Returns: %FERRY_LISTING_LINE_ENTRY with *@out_file set, or why the line
 *   gave no entry: %FERRY_LISTING_LINE_SKIP ("total", ".", "..", an empty
 *   line), %FERRY_LISTING_LINE_UNSAFE (see ferry_listing_name_is_safe()) or
 *   %FERRY_LISTING_LINE_INVALID
 */
FerryListingLine
ferry_listing_parse_line (FerryListingFormat   format,
                          const char          *line,
                          gsize                len,
                          GDateTime           *now,
                          FerryRemoteFile    **out_file)
{
  g_autoptr(GDateTime) now_utc = NULL;

  g_return_val_if_fail (line != NULL || len == 0, FERRY_LISTING_LINE_INVALID);
  g_return_val_if_fail (format == FERRY_LISTING_FORMAT_LIST ||
                        format == FERRY_LISTING_FORMAT_MLSD,
                        FERRY_LISTING_LINE_INVALID);

  if (out_file != NULL)
    *out_file = NULL;

  if (len > 0 && line[len - 1] == '\r')
    len--;

  if (len == 0)
    return FERRY_LISTING_LINE_SKIP;

  if (format == FERRY_LISTING_FORMAT_MLSD)
    return parse_mlsd (line, len, out_file);

  if (g_ascii_isdigit (line[0]))
    return parse_dos (line, len, out_file);

  now_utc = now != NULL ? g_date_time_to_utc (now) : g_date_time_new_now_utc ();

  return parse_unix (line, len, now_utc, out_file);
}

/**
 * ferry_listing_parse:
 * @format: the command that produced the listing
 * @data: (array length=len): the whole listing as received
 * @len: the length of @data in bytes
 * @now: (nullable): the current time, see ferry_listing_parse_line()
 * @n_unsafe: (out) (optional): the number of entries dropped for their name
 * @n_invalid: (out) (optional): the number of lines not understood
 *
 * Parses a listing line by line (LF or CRLF line ends).  Lines with unsafe
 * names and lines that are not understood are left out and counted, so the
 * caller can tell the user that something is missing.
 *
 * Returns: (transfer container) (element-type FerryRemoteFile): the entries
 */
GPtrArray *
ferry_listing_parse (FerryListingFormat  format,
                     const char         *data,
                     gsize               len,
                     GDateTime          *now,
                     guint              *n_unsafe,
                     guint              *n_invalid)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GDateTime) now_utc = NULL;
  guint unsafe = 0;
  guint invalid = 0;
  gsize pos = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  files = g_ptr_array_new_with_free_func (g_object_unref);
  now_utc = now != NULL ? g_date_time_to_utc (now) : g_date_time_new_now_utc ();

  while (pos < len)
    {
      const char *lf = memchr (data + pos, '\n', len - pos);
      gsize end = lf != NULL ? (gsize) (lf - data) : len;
      FerryRemoteFile *file = NULL;
      FerryListingLine result;

      /* The CR stays: parse_line strips exactly one, so a name that really
       * ends in CR is not silently turned into another name. */
      result = ferry_listing_parse_line (format, data + pos, end - pos, now_utc, &file);

      switch (result)
        {
        case FERRY_LISTING_LINE_ENTRY:
          g_ptr_array_add (files, file);
          break;

        case FERRY_LISTING_LINE_UNSAFE:
        case FERRY_LISTING_LINE_INVALID:
          {
            g_autofree char *quoted = ferry_ftp_sanitize_text (data + pos,
                                                               MIN (end - pos, QUOTE_MAX_BYTES));

            if (result == FERRY_LISTING_LINE_UNSAFE)
              unsafe++;
            else
              invalid++;

            g_debug ("Dropping %s listing line: %s",
                     result == FERRY_LISTING_LINE_UNSAFE ? "unsafe" : "invalid",
                     quoted);
          }
          break;

        case FERRY_LISTING_LINE_SKIP:
        default:
          break;
        }

      pos = end + 1;
    }

  if (n_unsafe != NULL)
    *n_unsafe = unsafe;
  if (n_invalid != NULL)
    *n_invalid = invalid;

  return g_steal_pointer (&files);
}
