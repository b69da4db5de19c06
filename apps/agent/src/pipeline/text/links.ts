import { LINK_LABELS, type ReplyLanguage } from '@cs/contracts';

/** The line an extractive answer ends with on channels that show links in the text: "More: <url>". */
export function moreLink(language: ReplyLanguage, url: string): string {
  return `${LINK_LABELS[language]} ${url}`;
}

/** The "More: <url>" paragraph the extractive answer ends with, in any language: the checks leave it out. */
export const MORE_LINK = new RegExp(
  `\\n\\n(?:${[...new Set(Object.values(LINK_LABELS))].map((label) => label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')}) \\S+$`,
);
