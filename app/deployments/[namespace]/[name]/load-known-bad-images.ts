import 'server-only';
import { db } from '@/lib/db/client';

/** image → reason, for the images given, from the KnownBadImage table (empty if the database is away). */
export async function loadKnownBadImages(images: string[]): Promise<Record<string, string>> {
  if (images.length === 0) return {};
  try {
    const rows = await db.knownBadImage.findMany({ where: { image: { in: images } }, select: { image: true, reason: true } });
    return Object.fromEntries(rows.map((r) => [r.image, r.reason]));
  } catch {
    return {};
  }
}
