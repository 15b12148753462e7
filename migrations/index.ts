import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './2026_11_25_0001_initial.js';
import * as evaluations from './2026_11_25_0002_evaluations.js';
import * as statRollups from './2026_11_25_0003_stat_rollups.js';
import * as goLive from './2026_11_25_0004_go_live.js';
import * as transferAway from './2026_11_25_0005_transfer_away.js';
import * as displaySound from './2026_11_25_0006_display_sound.js';
import * as appointments from './2026_11_25_0007_appointments.js';
import * as outcomes from './2026_11_25_0008_outcomes.js';
import * as helperNotes from './2026_11_25_0009_helper_notes.js';
import * as notifications from './2026_11_25_0010_notifications.js';
import * as hallTree from './2026_11_25_0011_hall_tree.js';
import * as queueProjection from './2026_12_03_0012_queue_projection.js';
import * as monthlyRollups from './2026_12_03_0013_monthly_rollups.js';
import * as publicInternet from './2026_12_03_0014_public_internet.js';
import * as hallConfigVersion from './2026_12_03_0015_hall_config_version.js';
import * as oneTokenIndex from './2026_12_04_0016_one_token_index.js';
import * as rollupsRecount from './2026_12_04_0017_rollups_recount.js';
import * as pauseReasons from './2026_12_04_0018_pause_reasons.js';
import * as complaints from './2026_12_05_0019_complaints.js';
import * as ratingInvites from './2026_12_05_0020_rating_invites.js';
import * as windowScreens from './2026_12_05_0021_window_screens.js';
import * as staffSkills from './2026_12_05_0022_staff_skills.js';
import * as dutyWindows from './2026_12_05_0023_duty_windows.js';
import * as serviceMaterials from './2026_12_05_0024_service_materials.js';
import * as smsInbound from './2026_12_05_0025_sms_inbound.js';
import * as publishedReports from './2026_12_05_0026_published_reports.js';
import * as onlineQueue from './2026_12_05_0027_online_queue.js';
import * as evaluationFeed from './2026_12_05_0028_evaluation_feed.js';

// Listed by hand rather than read from disk, so the same list works from source (tests) and
// from the compiled build. Add each new migration here; never edit one that has landed.
const migrations: Record<string, Migration> = {
  '2026_11_25_0001_initial': initial,
  '2026_11_25_0002_evaluations': evaluations,
  '2026_11_25_0003_stat_rollups': statRollups,
  '2026_11_25_0004_go_live': goLive,
  '2026_11_25_0005_transfer_away': transferAway,
  '2026_11_25_0006_display_sound': displaySound,
  '2026_11_25_0007_appointments': appointments,
  '2026_11_25_0008_outcomes': outcomes,
  '2026_11_25_0009_helper_notes': helperNotes,
  '2026_11_25_0010_notifications': notifications,
  '2026_11_25_0011_hall_tree': hallTree,
  '2026_12_03_0012_queue_projection': queueProjection,
  '2026_12_03_0013_monthly_rollups': monthlyRollups,
  '2026_12_03_0014_public_internet': publicInternet,
  '2026_12_03_0015_hall_config_version': hallConfigVersion,
  '2026_12_04_0016_one_token_index': oneTokenIndex,
  '2026_12_04_0017_rollups_recount': rollupsRecount,
  '2026_12_04_0018_pause_reasons': pauseReasons,
  '2026_12_05_0019_complaints': complaints,
  '2026_12_05_0020_rating_invites': ratingInvites,
  '2026_12_05_0021_window_screens': windowScreens,
  '2026_12_05_0022_staff_skills': staffSkills,
  '2026_12_05_0023_duty_windows': dutyWindows,
  '2026_12_05_0024_service_materials': serviceMaterials,
  '2026_12_05_0025_sms_inbound': smsInbound,
  '2026_12_05_0026_published_reports': publishedReports,
  '2026_12_05_0027_online_queue': onlineQueue,
  '2026_12_05_0028_evaluation_feed': evaluationFeed,
};

/** Written to the database header (user_version): an older release refuses a newer file. */
export const SCHEMA_VERSION = Object.keys(migrations).length;

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
