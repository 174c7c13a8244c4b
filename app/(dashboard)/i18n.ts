import 'server-only';
import { cookies } from 'next/headers';
import { LANG_COOKIE, parseLang, translator, type Lang, type Translate } from '@/lib/i18n/dictionary';

/** The UI language from the `lang` cookie (default English) and its translator. */
export async function getI18n(): Promise<{ lang: Lang; t: Translate }> {
  const lang = parseLang((await cookies()).get(LANG_COOKIE)?.value);
  return { lang, t: translator(lang) };
}
