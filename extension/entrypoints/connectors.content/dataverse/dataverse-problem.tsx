/** A Dataverse refusal as an alert: what happened, what to do (always in view), and the service's own answer under Details. */
import { Alert } from '../../../components/alert';
import type { Problem } from '../../../utils/messages';
import { panelWords } from './problem-words';

export function DataverseProblem({ problem, testId, live }: { problem: Problem; testId?: string; live?: boolean }) {
  const words = panelWords(problem);
  return (
    <Alert tone="error" message={words.head} testId={testId} live={live}>
      {words.advice && <span class="fb-advice">{words.advice}</span>}
      {words.detail && (
        <details class="fb-alert__details">
          <summary>What the service answered</summary>
          <p class="fb-alert__more">{words.detail}</p>
        </details>
      )}
    </Alert>
  );
}
