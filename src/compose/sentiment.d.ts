/** The part of the `sentiment` package (AFINN-165 valence) the composer uses; it ships no types. */
declare module "sentiment" {
  interface Analysis {
    score: number;
    comparative: number;
    positive: string[];
    negative: string[];
  }
  export default class Sentiment {
    analyze(phrase: string): Analysis;
  }
}
