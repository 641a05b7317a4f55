/**
 * Admins write regular expressions for text fields, and every submit runs them
 * over user input. A pattern such as `(a+)+$` backtracks exponentially on a
 * crafted value and would stall the server, so patterns that can backtrack
 * without bound are refused when the form is saved: quantified groups that
 * themselves contain a quantifier or an alternation, and backreferences.
 * Returns the problem, or null for a pattern that is safe to run.
 */
export function regexRisk(pattern: string): string | null {
  // per open group: whether its body so far holds a quantifier or an alternation
  const stack: boolean[] = [];
  let risky = false; // the group that just closed
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreferences are not allowed';
      i++;
      risky = false;
      continue;
    }
    if (c === '[') {
      // a character class is one atom: skip to its end
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      risky = false;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      risky = false;
      continue;
    }
    if (c === ')') {
      risky = stack.pop() ?? false;
      if (risky && stack.length > 0) stack[stack.length - 1] = true;
      continue;
    }
    const quantifier = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (quantifier) {
      // `?` right after a quantifier makes it lazy; it adds no repetition of its own
      const lazy = c === '?' && /[*+?}]/.test(pattern[i - 1] ?? '');
      if (!lazy && risky && c !== '?') return 'a repeated group may not itself contain a repetition or an alternation';
      if (stack.length > 0 && !lazy) stack[stack.length - 1] = true;
      if (c === '{') i = pattern.indexOf('}', i);
      risky = false;
      continue;
    }
    if (c === '|' && stack.length > 0) stack[stack.length - 1] = true;
    risky = false;
  }
  return null;
}
