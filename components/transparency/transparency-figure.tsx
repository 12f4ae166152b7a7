import type { TFigure } from "@/lib/transparency/withhold";

type TFigureProps = { figure: TFigure; formatNumber: (value: number) => string; labels: { withheld: string; none: string } };

/** One published figure: the number, the withheld mark (a count of 1 to 9), or a dash read out as "no figure". */
export const TransparencyFigure = ({ figure, formatNumber, labels }: TFigureProps) => {
  if (figure.withheld) {
    return (
      <span className="withheld" data-withheld="true">
        {labels.withheld}
      </span>
    );
  }
  if (figure.value === null) {
    return (
      <>
        <span aria-hidden="true">–</span>
        <span className="visually-hidden">{labels.none}</span>
      </>
    );
  }
  return <>{formatNumber(figure.value)}</>;
};
