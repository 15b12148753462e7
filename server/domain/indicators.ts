/**
 * The GB/T 39734-2020 好差评 indicators, each defined here and nowhere else. Every rate is a
 * percentage with one decimal, or null when its denominator is zero (no figure is invented).
 */
export interface EvaluationCounts {
  /** Tickets served (done) in the period. */
  served: number;
  /** Ratings given, not counting voided ones. */
  rated: number;
  /** 非常满意 + 满意 among `rated`. */
  good: number;
  /** Ratings the citizen gave on their own phone, unprompted (主动评价), and the good ones among them. */
  phoneRated: number;
  phoneGood: number;
  /** Ratings voided on appeal: they leave every indicator, with their tickets. */
  voided: number;
  /** 差评 (不满意 + 非常不满意), not voided; and how many of them reached each step of the loop. */
  bad: number;
  badReplied: number;
  badRectified: number;
  /** Follow-up cases closed (not by voiding), and those where the citizen was satisfied at the return visit. */
  casesClosed: number;
  casesClosedSatisfied: number;
}

export interface Indicators {
  /** 好评率: (非常满意 + 满意) / ratings. */
  goodRate: number | null;
  /** 主动评价好评率: good ratings / ratings, among those the citizen gave on their own phone. */
  activeGoodRate: number | null;
  /** 未评率: served tickets without a rating / served tickets (voided ones excluded from both). */
  unratedRate: number | null;
  /** 差评回复率: 差评 whose case reached 答复群众 / 差评. */
  badReplyRate: number | null;
  /** 回访整改率: 差评 whose case reached 整改 / 差评. */
  rectifyRate: number | null;
  /** 回访整改满意率: closed cases where the citizen was satisfied / closed cases. */
  rectifySatisfactionRate: number | null;
}

export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

export function indicators(c: EvaluationCounts): Indicators {
  const servedCounted = c.served - c.voided;
  return {
    goodRate: percent(c.good, c.rated),
    activeGoodRate: percent(c.phoneGood, c.phoneRated),
    unratedRate: percent(Math.max(0, servedCounted - c.rated), servedCounted),
    badReplyRate: percent(c.badReplied, c.bad),
    rectifyRate: percent(c.badRectified, c.bad),
    rectifySatisfactionRate: percent(c.casesClosedSatisfied, c.casesClosed),
  };
}
