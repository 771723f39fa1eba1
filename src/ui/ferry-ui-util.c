/* ferry-ui-util.c: formatting shared by the window, rows and browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-ui-util"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-ui-util.h"

/**
 * ferry_format_time_left:
 * @seconds: an estimate, at least 0
 *
 * Returns: (transfer full): "11 seconds left", "3 minutes left" …
 */
char *
ferry_format_time_left (gint64 seconds)
{
  int n;

  /* Round up to the unit shown, as epiphany's download widget does, so
   * "0 seconds left" never shows while bytes remain. */
  if (seconds < 60)
    {
      n = (int) MAX (seconds, 1);
      return g_strdup_printf (ngettext ("%d second left", "%d seconds left", n), n);
    }
  if (seconds < 60 * 60)
    {
      n = (int) ((seconds + 59) / 60);
      return g_strdup_printf (ngettext ("%d minute left", "%d minutes left", n), n);
    }
  if (seconds < 48 * 60 * 60)
    {
      n = (int) ((seconds + 3599) / 3600);
      return g_strdup_printf (ngettext ("%d hour left", "%d hours left", n), n);
    }

  n = (int) MIN ((seconds + 86399) / 86400, G_MAXINT);
  return g_strdup_printf (ngettext ("%d day left", "%d days left", n), n);
}

/**
 * ferry_format_progress:
 * @bytes_done: bytes moved
 * @total_size: bytes in all, or -1 when the server did not say
 * @speed: bytes per second
 * @eta: seconds left, or -1
 * @moving: whether bytes are moving now (speed and time are shown)
 *
 * Returns: (transfer full): "12.4 MB of 80 MB — 5.1 MB/s — 11 seconds left"
 */
char *
ferry_format_progress (gint64   bytes_done,
                       gint64   total_size,
                       double   speed,
                       gint64   eta,
                       gboolean moving)
{
  g_autofree char *done = g_format_size ((guint64) MAX (bytes_done, 0));
  GString *text = g_string_new (NULL);

  if (total_size >= 0)
    {
      g_autofree char *total = g_format_size ((guint64) total_size);

      if (bytes_done >= total_size)
        g_string_append (text, total);
      else
        /* Translators: "12.4 MB of 80 MB" */
        g_string_append_printf (text, _("%s of %s"), done, total);
    }
  else
    g_string_append (text, done);

  if (moving && speed > 0)
    {
      g_autofree char *rate = g_format_size ((guint64) speed);

      /* Translators: a transfer rate, "5.1 MB/s" */
      g_string_append (text, " — ");
      g_string_append_printf (text, _("%s/s"), rate);

      if (eta >= 0)
        {
          g_autofree char *left = ferry_format_time_left (eta);

          g_string_append (text, " — ");
          g_string_append (text, left);
        }
    }

  return g_string_free (text, FALSE);
}

/**
 * ferry_format_date:
 * @date: (nullable): a time
 *
 * Returns: (transfer full): a short local date, or "" for %NULL
 */
char *
ferry_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (date == NULL)
    return g_strdup ("");

  local = g_date_time_to_local (date);
  now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a date this year, see g_date_time_format() */
    return g_date_time_format (local, _("%e %b %H:%M"));

  /* Translators: a date in another year, see g_date_time_format() */
  return g_date_time_format (local, _("%e %b %Y"));
}

/**
 * ferry_download_folder:
 * @settings: the application's settings
 *
 * Returns: (transfer full): the download-folder key, or the XDG Downloads
 *   folder when the key is empty, or the home folder when there is none
 */
GFile *
ferry_download_folder (GSettings *settings)
{
  g_autofree char *folder = g_settings_get_string (settings, "download-folder");
  const char *xdg;

  if (folder != NULL && *folder != '\0')
    return g_file_new_for_path (folder);

  xdg = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  if (xdg != NULL)
    return g_file_new_for_path (xdg);

  return g_file_new_for_path (g_get_home_dir ());
}
